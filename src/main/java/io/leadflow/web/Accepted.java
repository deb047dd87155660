package io.leadflow.web;

/**
 * The answer {@code 202 {"status": "accepted"}} to a caller without the {@code read} scope: the same
 * for a known and an unknown email, so that capture and events cannot be used to find out who is a lead.
 */
public record Accepted(String status) {

    public static final Accepted ACCEPTED = new Accepted("accepted");
}
