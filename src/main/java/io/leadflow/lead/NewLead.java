package io.leadflow.lead;

/** The data a new lead is captured with, already validated. */
public record NewLead(
        String email,
        String firstName,
        String lastName,
        String phone,
        String company,
        String jobTitle,
        String role,
        String industry,
        Integer companySize,
        String country,
        String source,
        String campaign) {
}
