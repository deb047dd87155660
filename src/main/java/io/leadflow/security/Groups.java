package io.leadflow.security;

/** Candidate groups used by the models, and the administrators' group of the Camunda webapps. */
public final class Groups {

    public static final String MARKETING = "marketing";
    public static final String MARKETING_MANAGERS = "marketingManagers";
    public static final String SALES = "sales";
    public static final String SALES_MANAGERS = "salesManagers";
    public static final String PROCESS_OWNERS = "processOwners";
    /** Created with the admin user at the first start; holds every permission on every resource. */
    public static final String CAMUNDA_ADMIN = "camunda-admin";

    private Groups() {
    }
}
