package io.leadflow.lead;

import java.time.OffsetDateTime;

/** The shared lead record (table {@code lead}); {@code number} is the readable {@link LeadNumbers lead number}. */
public record Lead(
        String id,
        String number,
        String email,
        String firstName,
        String lastName,
        String phone,
        String company,
        String companyDomain,
        String jobTitle,
        String role,
        String industry,
        Integer companySize,
        String country,
        String source,
        String campaign,
        LeadStage stage,
        Integer fitScore,
        String fitGrade,
        Integer engagementScore,
        Integer leadScore,
        String scoreExplanation,
        String salesRep,
        int recycleCount,
        boolean doNotContact,
        OffsetDateTime erasedAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public String contactName() {
        if (firstName == null && lastName == null) {
            return null;
        }
        return ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
    }
}
