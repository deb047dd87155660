package io.leadflow.lead;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * Task listener on every user task of the lead models (event {@code create}):
 * <ul>
 * <li>copies the lead's contact data and score explanation from the record into the process where
 *     they are missing or changed ({@link LeadContext#showLead}): the form and Tasklist's columns show
 *     them, and a lead gets them only once a person works on it;</li>
 * <li>names the task after the lead, so a Tasklist row says which lead it is:
 *     "Accept lead: Ada Lovelace, Analytical Engines" (the model's name stays the task's activity name,
 *     and history erasure replaces these names when a lead is erased);</li>
 * <li>opens every decision field empty: a task that comes round again (a second "Accept lead" after
 *     a procedural rejection, a second "Review MQL" after nurture, the next "Contact lead" attempt)
 *     must not show the previous person's choice, or one click repeats it. What the next person needs
 *     to know of the previous round is kept read-only: the rejection ({@link LeadVariables#LAST_REJECTION},
 *     written by "Record rejection") and the previous review note.</li>
 * </ul>
 */
@Component("leadTaskListener")
public class LeadTaskListener implements TaskListener {

    private final LeadRepository leads;

    public LeadTaskListener(LeadRepository leads) {
        this.leads = leads;
    }

    /** The engine's task name column holds 255 characters. */
    static final int MAX_NAME = 255;

    /** The fields each task's form decides: removed when the task is created. */
    public static final Map<String, List<String>> DECISIONS = Map.of(
            "Task_ReviewMql", List.of(LeadVariables.REVIEW_DECISION, LeadVariables.REVIEW_NOTE),
            "Task_AcceptLead", List.of(LeadVariables.ACCEPT_DECISION, LeadVariables.REJECT_REASON, LeadVariables.REJECT_COMMENT),
            "Task_FixLeadData", List.of(LeadVariables.FIX_NOTE),
            "Task_AssignLeadByHand", List.of(LeadVariables.ASSIGN_TO),
            "Task_ContactLead", List.of(LeadVariables.CONTACT_CHANNEL, LeadVariables.CONTACT_OUTCOME, LeadVariables.CONTACT_NOTE),
            "Task_QualifyLead", List.of(LeadVariables.BUDGET_CONFIRMED, LeadVariables.AUTHORITY_CONFIRMED,
                    LeadVariables.NEED_CONFIRMED, LeadVariables.TIMELINE, LeadVariables.QUALIFICATION_DECISION,
                    LeadVariables.QUALIFICATION_NOTE, LeadVariables.OPPORTUNITY_AMOUNT, LeadVariables.DISQUALIFY_REASON,
                    LeadVariables.REVISIT_DATE));

    @Override
    public void notify(DelegateTask task) {
        String key = task.getTaskDefinitionKey();
        // the lead of the task's process only: a task of a process that names another lead's id shows nothing of it
        LeadContext.lead(task.getExecution(), leads).ifPresent(lead -> LeadContext.showLead(task.getExecution().getProcessInstance(), lead));
        if ("Task_ReviewMql".equals(key)) {
            Object note = task.getVariable(LeadVariables.REVIEW_NOTE);
            if (note instanceof String text && !text.isBlank()) {
                task.setVariable(LeadVariables.PREVIOUS_REVIEW_NOTE, text);
            }
        }
        for (String decision : DECISIONS.getOrDefault(key, List.of())) {
            if (task.hasVariable(decision)) {
                task.removeVariable(decision);
            }
        }
        // the forms hide a context field with "= null"; in Tasklist a variable that does not exist at all did not
        // hide it (the field showed empty), so the variable is made to exist, as null
        for (String context : List.of(LeadVariables.LAST_REJECTION, LeadVariables.PREVIOUS_REVIEW_NOTE, LeadVariables.FIX_NOTE)) {
            if (!task.hasVariable(context)) {
                task.getExecution().getProcessInstance().setVariable(context, null);
            }
        }
        task.setName(name(task.getName(), LeadContext.text(task, LeadVariables.CONTACT_NAME),
                LeadContext.text(task, LeadVariables.COMPANY_NAME),
                "Task_ContactLead".equals(key) ? LeadContext.integer(task, LeadVariables.ATTEMPT_NUMBER) : null));
    }

    /** "Accept lead: Ada Lovelace, Analytical Engines", "Contact lead: Ada Lovelace, Analytical Engines (attempt 2)". */
    public static String name(String taskName, String contactName, String companyName, Integer attempt) {
        String lead = String.join(", ", java.util.stream.Stream.of(contactName, companyName)
                .filter(s -> s != null && !s.isBlank()).map(String::strip).toList());
        if (lead.isEmpty() || taskName == null) {
            return taskName;
        }
        String name = taskName + ": " + lead + (attempt == null ? "" : " (attempt " + attempt + ")");
        return TaskInput.abbreviate(name, MAX_NAME);
    }
}
