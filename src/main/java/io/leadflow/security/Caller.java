package io.leadflow.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The caller of the current {@code /api} request as a record keeps it: an API key by its id
 * ({@code api-key:<id>}: a revoked key's name may be given to a new one), a person by user id
 * ({@code user:<id>}).
 */
public final class Caller {

    private Caller() {
    }

    /** Null when nobody is authenticated. */
    public static String id() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || !caller.isAuthenticated()) {
            return null;
        }
        if (caller instanceof ApiKeyAuthentication key) {
            return "api-key:" + key.key().id();
        }
        return "user:" + caller.getName();
    }
}
