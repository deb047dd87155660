package io.leadflow.qualification;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

import io.leadflow.lead.EmailAddresses;
import io.leadflow.lead.InvalidTaskInputException;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadRepository.ContactData;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.TaskInput;
import io.leadflow.recycling.Suppressions;
import io.leadflow.scoring.ScoreLeadDelegate;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.TextRules;

/**
 * "Save corrected lead data": what marketing fixed goes to the lead record, and the lead is scored
 * again, so the fit and "why this score" shown to sales follow the corrected role, size, industry
 * and country. Runs in the transaction that completes "Fix lead data": a refused value (an invalid
 * or already taken email, a missing name…) keeps the task open with a message naming the field,
 * and nothing is written.
 */
@Component("saveLeadDataDelegate")
public class SaveLeadDataDelegate implements JavaDelegate {

    static final List<String> ROLES = List.of("executive", "manager", "practitioner", "other");

    private final LeadRepository leads;
    private final ScoreLeadDelegate scoring;
    private final EngineClock clock;
    private final Suppressions suppressions;

    public SaveLeadDataDelegate(LeadRepository leads, ScoreLeadDelegate scoring, EngineClock clock, Suppressions suppressions) {
        this.leads = leads;
        this.suppressions = suppressions;
        this.scoring = scoring;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        String email = TaskInput.matching(EmailAddresses.clean(TaskInput.requiredText(execution, LeadVariables.EMAIL, "Email", 254)),
                LeadVariables.EMAIL, "Email", EmailAddresses.PATTERN, EmailAddresses.PATTERN_MESSAGE);
        if (suppressions.isSuppressed(email)) {
            // an address that asked not to be contacted, or was erased, never becomes a lead again: not by correction either
            throw new InvalidTaskInputException("Email", LeadVariables.EMAIL, "asked not to be contacted (or its lead was erased):"
                    + " it never becomes a lead again; ask sales for another contact at the company");
        }
        Optional<String> owner = leads.findIdByEmail(email).filter(id -> !id.equals(leadId));
        if (owner.isPresent()) {
            throw emailTaken(email, owner.get());
        }
        ContactData data = new ContactData(
                email,
                name(execution, LeadVariables.FIRST_NAME, "First name", 100, true),
                name(execution, LeadVariables.LAST_NAME, "Last name", 100, true),
                TaskInput.matching(TaskInput.optionalText(execution, LeadVariables.PHONE, "Phone", 40),
                        LeadVariables.PHONE, "Phone", "^[+0-9 ()/.-]*$", "may contain only digits, spaces and + ( ) / . -"),
                name(execution, LeadVariables.COMPANY_NAME, "Company", 200, true),
                name(execution, LeadVariables.JOB_TITLE, "Job title", 120, false),
                TaskInput.oneOf(execution, LeadVariables.ROLE, "Role", ROLES),
                name(execution, LeadVariables.INDUSTRY, "Industry", 100, false),
                companySize(execution),
                country(execution));
        TaskInput.optionalText(execution, LeadVariables.FIX_NOTE, "What you changed", TaskInput.MAX_TEXT);
        try {
            leads.updateContactData(leadId, data, clock.nowUtc());
        } catch (DuplicateKeyException raceLost) {
            // another lead took the address between the check and the update
            throw emailTaken(email, leads.findIdByEmail(email).orElse("another lead"));
        }
        scoring.execute(execution);
        LeadContext.showLead(execution, leads.get(leadId));
    }

    private static Integer companySize(DelegateExecution execution) {
        Integer size = TaskInput.number(execution, LeadVariables.COMPANY_SIZE, "Company size (employees)", 1, true);
        if (size > io.leadflow.capture.LeadCaptureRequest.MAX_COMPANY_SIZE) {
            throw new InvalidTaskInputException("Company size (employees)", LeadVariables.COMPANY_SIZE, "must be at most 10,000,000, was " + size);
        }
        return size;
    }

    private static String country(DelegateExecution execution) {
        String country = TaskInput.matching(TaskInput.requiredText(execution, LeadVariables.COUNTRY, "Country", 2),
                LeadVariables.COUNTRY, "Country", "^[A-Za-z]{2}$", "must be a two-letter ISO country code");
        if (!io.leadflow.lead.IsoCountry.Codes.known(country)) {
            throw new InvalidTaskInputException("Country", LeadVariables.COUNTRY,
                    "is not an ISO 3166 country code (two letters such as DE, FR or US), was '" + country + "'");
        }
        return country.toUpperCase(Locale.ROOT);
    }

    private static String name(DelegateExecution execution, String field, String label, int max, boolean required) {
        String value = required ? TaskInput.requiredText(execution, field, label, max)
                : TaskInput.optionalText(execution, field, label, max);
        return TaskInput.matching(value, field, label, TextRules.NO_CONTROL_CHARACTERS, TextRules.NO_CONTROL_CHARACTERS_MESSAGE);
    }

    private static InvalidTaskInputException emailTaken(String email, String otherLeadId) {
        return new InvalidTaskInputException("Email", LeadVariables.EMAIL,
                // not the address itself: the REST layer logs the message at WARN, where no erasure reaches it
                "another lead (" + otherLeadId + ") already has this address");
    }
}
