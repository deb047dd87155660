package io.leadflow.security;

import java.util.stream.Collectors;

import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.UriInfo;

/**
 * The path of a Camunda REST request as JAX-RS routes it: its segments without matrix parameters.
 * {@code UriInfo.getPath()} keeps them ({@code task/1/complete;x}), while the resource that runs is
 * {@code task/1/complete}: a guard that matched the raw path let {@code …/complete;x} through
 * unchecked. The Camunda REST API takes no matrix parameters, so the guards refuse them outright.
 */
public final class CamundaRestPath {

    private CamundaRestPath() {
    }

    /** The decoded path as routed, e.g. {@code task/1/complete} for {@code task/1/complete;x}. */
    public static String of(UriInfo uri) {
        return uri.getPathSegments().stream().map(PathSegment::getPath).collect(Collectors.joining("/"));
    }

    /** Whether any segment carries matrix parameters ({@code ;name=value}, {@code ;jsessionid=…} included). */
    public static boolean hasMatrixParameters(UriInfo uri) {
        return uri.getPathSegments().stream().anyMatch(segment -> !segment.getMatrixParameters().isEmpty())
                || uri.getPath(false).contains(";");
    }
}
