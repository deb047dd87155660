package io.leadflow.qualification;

import java.util.Locale;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/** "Save corrected lead data": what marketing fixed goes to the lead record. */
@Component("saveLeadDataDelegate")
public class SaveLeadDataDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final EngineClock clock;

    public SaveLeadDataDelegate(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.text(execution, LeadVariables.LEAD_ID);
        String email = LeadContext.text(execution, LeadVariables.EMAIL);
        if (email == null || !email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            throw new IllegalArgumentException("email must be a valid email address, was '" + email + "'");
        }
        String country = LeadContext.text(execution, LeadVariables.COUNTRY);
        if (country == null || !country.matches("^[A-Za-z]{2}$")) {
            throw new IllegalArgumentException("country must be a two-letter ISO country code, was '" + country + "'");
        }
        leads.updateContactData(leadId, email,
                blankToNull(LeadContext.text(execution, LeadVariables.PHONE)),
                blankToNull(LeadContext.text(execution, LeadVariables.JOB_TITLE)),
                blankToNull(LeadContext.text(execution, LeadVariables.ROLE)),
                blankToNull(LeadContext.text(execution, LeadVariables.INDUSTRY)),
                LeadContext.integer(execution, LeadVariables.COMPANY_SIZE),
                country.toUpperCase(Locale.ROOT),
                clock.nowUtc());
        LeadContext.putContactData(execution, leads.get(leadId));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
