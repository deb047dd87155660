package io.leadflow.lead;

/** Stages of the demand waterfall and its detours. */
public enum LeadStage {
    INQUIRY, NURTURING, MQL, SAL, SQL, OPPORTUNITY, RECYCLED, DISQUALIFIED, BLACKLISTED, ARCHIVED
}
