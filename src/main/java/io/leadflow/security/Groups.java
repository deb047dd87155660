package io.leadflow.security;

/** Candidate groups used by the models. */
public final class Groups {

    public static final String MARKETING = "marketing";
    public static final String MARKETING_MANAGERS = "marketingManagers";
    public static final String SALES = "sales";
    public static final String SALES_MANAGERS = "salesManagers";
    public static final String PROCESS_OWNERS = "processOwners";

    private Groups() {
    }
}
