package io.leadflow.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What a caller of {@code /api} may do. An API key holds the scopes it was created with; a person
 * (HTTP Basic, the Tasklist login) holds the scopes of their groups ({@link #ofGroups}). Each scope is
 * the authority {@code SCOPE_<name>}, next to a person's group ids.
 */
public enum ApiScope {

    /** Send leads: the website, web-form back ends, CSV uploads. */
    CAPTURE,
    /** Send engagement events: marketing automation. */
    EVENTS,
    /** Read lead records, SLA breaches, KPIs; see whether an email is known. */
    READ,
    /** Create and revoke API keys, read the actuator's metrics. */
    ADMIN;

    public static final String AUTHORITY_PREFIX = "SCOPE_";

    /**
     * The scopes of people, by group: everyone in these groups reads; marketing also captures (a CSV of a
     * trade fair); administrators hold every scope. A group not listed gives no scope.
     */
    static final Map<String, Set<ApiScope>> GROUP_SCOPES = Map.of(
            Groups.CAMUNDA_ADMIN, EnumSet.allOf(ApiScope.class),
            Groups.MARKETING, EnumSet.of(READ, CAPTURE),
            Groups.MARKETING_MANAGERS, EnumSet.of(READ, CAPTURE),
            Groups.SALES, EnumSet.of(READ),
            Groups.SALES_MANAGERS, EnumSet.of(READ),
            Groups.PROCESS_OWNERS, EnumSet.of(READ));

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String authority() {
        return AUTHORITY_PREFIX + id();
    }

    public static Optional<ApiScope> of(String id) {
        return Arrays.stream(values()).filter(scope -> scope.id().equals(id)).findFirst();
    }

    static Set<ApiScope> ofGroups(Collection<String> groups) {
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        groups.forEach(group -> scopes.addAll(GROUP_SCOPES.getOrDefault(group, Set.of())));
        return scopes;
    }

    static List<SimpleGrantedAuthority> authorities(Collection<ApiScope> scopes) {
        return scopes.stream().map(ApiScope::authority).map(SimpleGrantedAuthority::new).toList();
    }

    /** A person's authorities: their group ids and the scopes of those groups. */
    static List<SimpleGrantedAuthority> ofPerson(Collection<String> groups) {
        List<SimpleGrantedAuthority> authorities = new ArrayList<>(groups.stream().map(SimpleGrantedAuthority::new).toList());
        authorities.addAll(authorities(ofGroups(groups)));
        return authorities;
    }

    /** Whether the caller of the current request holds this scope. */
    public boolean heldByCaller() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(authority()::equals);
    }

    /**
     * Whether the caller may learn if an email is known (the {@code read} scope). Callers without it get
     * the same answer for a known and an unknown address.
     */
    public static boolean callerMayRead() {
        return READ.heldByCaller();
    }
}
