package io.leadflow.web;

/** A resource the client named does not exist (answered as 404 problem details). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super("No " + what + " with id '" + id + "'");
    }
}
