package io.leadflow.web;

/** A resource the client named does not exist (answered as 404 problem details). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super("No " + what + " with id '" + id + "'");
    }

    /** Not found by another key than the id, e.g. a lead by its email. */
    public NotFoundException(String what, String key, String value) {
        super("No " + what + " with " + key + " '" + value + "'");
    }
}
