package io.leadflow.conversion;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** An opportunity handed over for a qualified lead (one per lead). */
public record Opportunity(String leadId, String salesRep, BigDecimal amount, String timeline, boolean budgetConfirmed,
                          boolean authorityConfirmed, boolean needConfirmed, String note, OffsetDateTime createdAt) {
}
