package io.leadflow.lead;

/**
 * Names of the process variables that models, forms, delegates and tests share. Everything else
 * about a lead lives in the lead record (table {@code lead}); variables carry only what gateways,
 * timers and forms need.
 */
public final class LeadVariables {

    /** Every variable name this class holds: the variables a lead's processes have. */
    public static java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (java.lang.reflect.Field field : LeadVariables.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private LeadVariables() {
    }

    // identity and context shown in every form
    public static final String LEAD_ID = "leadId";
    /** The readable lead number (also the business key), e.g. L-2026-000123; not personal data. */
    public static final String LEAD_NUMBER = "leadNumber";
    public static final String DUPLICATE_OF_LEAD_ID = "duplicateOfLeadId";
    public static final String CONTACT_NAME = "contactName";
    public static final String FIRST_NAME = "firstName";
    public static final String LAST_NAME = "lastName";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String COMPANY_NAME = "companyName";
    public static final String JOB_TITLE = "jobTitle";
    public static final String ROLE = "role";
    public static final String INDUSTRY = "industry";
    public static final String COMPANY_SIZE = "companySize";
    public static final String COUNTRY = "country";
    public static final String SOURCE = "source";
    public static final String CAMPAIGN = "campaign";

    // scoring
    public static final String FIT_SCORE = "fitScore";
    public static final String FIT_GRADE = "fitGrade";
    public static final String ENGAGEMENT_SCORE = "engagementScore";
    public static final String LEAD_SCORE = "leadScore";
    public static final String MQL_THRESHOLD = "mqlThreshold";
    public static final String MQL_REACHED = "mqlReached";
    public static final String SCORE_EXPLANATION = "scoreExplanation";
    public static final String LAST_ENGAGEMENT_AT = "lastEngagementAt";

    // MQL review
    public static final String REVIEW_DECISION = "reviewDecision";
    public static final String REVIEW_NOTE = "reviewNote";
    /** The note of the previous review of this lead, shown read-only on the next "Review MQL". */
    public static final String PREVIOUS_REVIEW_NOTE = "previousReviewNote";

    // assignment and acceptance
    public static final String TERRITORY = "territory";
    public static final String SALES_REP = "salesRep";
    /** Assign lead by hand: the rep the manager chose (a decision, empty whenever the task comes round; {@link #SALES_REP} is set from it). */
    public static final String ASSIGN_TO = "assignTo";
    public static final String EXCLUDED_REPS = "excludedReps";
    public static final String ACCEPT_DECISION = "acceptDecision";
    public static final String REJECT_REASON = "rejectReason";
    public static final String REJECT_COMMENT = "rejectComment";
    public static final String FIX_NOTE = "fixNote";
    /** The latest rejection in words (reason, who, when, comment), shown read-only to whoever works the lead next. */
    public static final String LAST_REJECTION = "lastRejection";

    // follow-up
    public static final String ATTEMPT_NUMBER = "attemptNumber";
    public static final String FIRST_ATTEMPT_AT = "firstAttemptAt";
    public static final String ATTEMPT_HISTORY = "attemptHistory";
    public static final String CONTACT_CHANNEL = "contactChannel";
    public static final String CONTACT_OUTCOME = "contactOutcome";
    public static final String CONTACT_NOTE = "contactNote";

    // qualification and conversion
    public static final String BUDGET_CONFIRMED = "budgetConfirmed";
    public static final String AUTHORITY_CONFIRMED = "authorityConfirmed";
    public static final String NEED_CONFIRMED = "needConfirmed";
    public static final String TIMELINE = "timeline";
    public static final String QUALIFICATION_DECISION = "qualificationDecision";
    public static final String QUALIFICATION_NOTE = "qualificationNote";
    public static final String OPPORTUNITY_AMOUNT = "opportunityAmount";
    public static final String DISQUALIFY_REASON = "disqualifyReason";
    public static final String REVISIT_DATE = "revisitDate";

    // recycling and do-not-contact
    public static final String RECYCLE_REASON = "recycleReason";
    public static final String RECYCLE_COUNT = "recycleCount";
    public static final String REVISIT_AT = "revisitAt";
    public static final String ERASE_PERSONAL_DATA = "erasePersonalData";

    // SLA handlers (input parameters of the reminder and escalation tasks)
    public static final String SLA_NAME = "slaName";
    public static final String SLA_TASK_KEY = "slaTaskKey";
    public static final String ESCALATION_GROUP = "escalationGroup";
    public static final String REASSIGN_TO_NEXT_REP = "reassignToNextRep";

    // "Manage rep availability" (start form of the process repAvailability)
    public static final String REP_ID = "repId";
    public static final String AVAILABILITY_CHANGE = "availabilityChange";
    public static final String ABSENCE_FROM = "absenceFrom";
    public static final String ABSENCE_TO = "absenceTo";
    public static final String ABSENCE_REASON = "absenceReason";
    public static final String REP_CAPACITY = "repCapacity";
    public static final String REP_ACTIVE = "repActive";

    // messages
    public static final String MESSAGE_ENGAGEMENT_RECORDED = "leadEngagementRecorded";
    public static final String MESSAGE_DO_NOT_CONTACT = "leadDoNotContact";

    public static final String PROCESS_LEAD_LIFECYCLE = "leadLifecycle";
    public static final String PROCESS_NURTURE = "leadNurture";
    public static final String PROCESS_FOLLOW_UP = "leadFollowUp";
    public static final String PROCESS_REP_AVAILABILITY = "repAvailability";
}
