package io.leadflow.tasklist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.browser.Browser;
import io.leadflow.security.TasklistFilters;

/**
 * Reps working in Camunda Tasklist in headless Chromium (the system's chromium and chromedriver, no
 * download): the list names the lead, decisions open empty, the previous rejection is shown, and
 * "Complete" recovers after a refused submit. Screenshots for a person: {@code target/browser-screenshots/}.
 */
class TasklistBrowserTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    TaskService tasks;

    @Autowired
    RuntimeService runtime;

    @Autowired
    org.camunda.bpm.engine.FilterService filters;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Browser browser;

    @BeforeEach
    void startBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    String base() {
        return "http://localhost:" + port;
    }

    /** A company name no other test uses, so the rows of this test are the only ones with it. */
    static String unique(String company) {
        return company + " " + (System.nanoTime() % 100_000);
    }

    /** A new lead, approved by marketing, whose "Accept lead" is assigned to {@code rep}. */
    String leadAtAcceptanceFor(String rep, String firstName, String lastName, String company) {
        String leadId = (String) http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", firstName.toLowerCase() + "." + System.nanoTime() + "@example.com", "firstName", firstName,
                        "lastName", lastName, "company", company, "role", "executive", "industry", "software",
                        "companySize", 500, "country", "DE", "source", "webForm"))
                .retrieve().body(MAP).get("id");
        complete("mia", task(leadId, "Task_ReviewMql"), Map.of("reviewDecision", "approve"));
        Task accept = task(leadId, "Task_AcceptLead");
        if (!rep.equals(accept.getAssignee())) {
            // rotation picked another rep: the sales manager gives it to this one, as in Tasklist
            tasks.setAssignee(accept.getId(), rep);
            runtime.setVariable(accept.getProcessInstanceId(), "salesRep", rep);
        }
        return leadId;
    }

    /** The first {@code max} tasks of the user's own filter of that name, as Tasklist lists them (HAL, with the filter's variables). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> filterList(String user, String filterName, int max) {
        String filterId = filters.createFilterQuery().filterName(filterName).filterOwner(user).singleResult().getId();
        Map<String, Object> list = as(user, http.post().uri("/engine-rest/filter/{id}/list?firstResult=0&maxResults={max}", filterId, max)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.parseMediaType("application/hal+json")).body(Map.of()))
                .retrieve().body(JSON_OBJECT);
        return (List<Map<String, Object>>) ((Map<String, Object>) list.get("_embedded")).get("task");
    }

    Task task(String leadId, String key) {
        return tasks.createTaskQuery().processInstanceBusinessKey(leadNumber(leadId)).taskDefinitionKey(key).singleResult();
    }

    void complete(String user, Task task, Map<String, Object> values) {
        Map<String, Object> variables = new HashMap<>();
        values.forEach((name, value) -> variables.put(name, Map.of("value", value)));
        assertThat(http.post().uri("/engine-rest/task/{id}/submit-form", task.getId()).headers(h -> h.setBasicAuth(user, "demo"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("variables", variables)).retrieve().toBodilessEntity()
                .getStatusCode().value()).as("%s completes %s", user, task.getName()).isEqualTo(204);
    }

    @Test
    void samsMyTasksList_carriesTheLeadsColumns_asTasklistFetchesIt() {
        String company = unique("Difference Engines");
        String leadId = leadAtAcceptanceFor("sam", "Charles", "Babbage", company);
        // the request Tasklist makes for its list: the filter's tasks with the filter's variables embedded
        List<Map<String, Object>> rows = filterList("sam", TasklistFilters.MY_TASKS, 50);
        Map<String, Object> row = rows.stream().filter(t -> String.valueOf(t.get("name")).contains(company)).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> columns = (List<Map<String, Object>>) ((Map<String, Object>) row.get("_embedded")).get("variable");
        assertThat(columns).as("the variables sam's list shows for the lead").extracting(v -> v.get("name"))
                .contains("leadNumber", "contactName", "companyName", "leadScore", "fitGrade");
        assertThat(columns).filteredOn(v -> "leadNumber".equals(v.get("name"))).extracting(v -> v.get("value"))
                .containsExactly(leadNumber(leadId));
    }

    @Test
    void samSeesHisLeadByName_rejectsItAsIncomplete_andMiaGetsFixLeadDataWithHisComment() {
        String company = unique("Analytical Engines");
        String accept = "Accept lead: Ada Lovelace, " + company;
        String leadId = leadAtAcceptanceFor("sam", "Ada", "Lovelace", company);
        TasklistPage sam = new TasklistPage(browser, base()).logIn("sam");

        sam.openFilter(TasklistFilters.MY_TASKS);
        List<String> rows = sam.waitForRow(accept);
        assertThat(rows).contains(accept);
        sam.waitForRowText(accept, "Grade:");
        String row = sam.rowText(accept);
        System.out.println("[tasklist] sam's row: " + row.replace('\n', '|'));
        assertThat(row).as("without opening the task: the lead, its score and grade, and the due date")
                .contains("Ada Lovelace", company, "Score:", "Grade:", "Due");
        sam.screenshot("1-sam-my-tasks");

        sam.openTask(accept);
        assertThat(sam.radios("Decision")).as("the decision opens empty").isNotEmpty().noneMatch(r -> r.isSelected());
        assertThat(sam.textAreaValue("Previous rejection")).as("a first round has no previous rejection to show").isNull();
        sam.choose("Reject").choose("Clerical — data incomplete, marketing must fix it")
                .type("Comment", "The phone number is missing");
        sam.screenshot("1-sam-rejects-as-clerical");
        sam.complete().waitUntilGone(accept);
        assertThat(task(leadId, "Task_FixLeadData")).isNotNull();
        browser.close();

        browser = Browser.start();
        TasklistPage mia = new TasklistPage(browser, base()).logIn("mia");
        // her team's filter holds the task (over the API: in the shared test context marketing's queue
        // holds the leads of every earlier test, sorted by due date, so it may be past the first page)
        String fixLeadData = task(leadId, "Task_FixLeadData").getId();
        List<Map<String, Object>> miasTasks = filterList("mia", TasklistFilters.MY_TEAMS_TASKS, 2000);
        assertThat(miasTasks).extracting(t -> t.get("id")).as("mia's team's tasks").contains(fixLeadData);
        assertThat(miasTasks).filteredOn(t -> fixLeadData.equals(t.get("id"))).extracting(t -> t.get("name"))
                .containsExactly("Fix lead data: Ada Lovelace, " + company);
        mia.openFilter(TasklistFilters.MY_TEAMS_TASKS);
        mia.openTaskById(fixLeadData);
        browser.waitFor(d -> mia.textAreaValue("Why sales sent it back") != null
                && mia.textAreaValue("Why sales sent it back").contains("The phone number is missing"));
        assertThat(mia.textAreaValue("Why sales sent it back")).startsWith("Clerical (data incomplete) — by sam on ");
        mia.screenshot("1-mia-fix-lead-data");
    }

    @Test
    void leadRejectedAsWronglyRouted_reachesTheNextRepWithAnEmptyDecision_andThePreviousRejectionShown() {
        String company = unique("Compiler Works");
        String leadId = leadAtAcceptanceFor("sam", "Grace", "Hopper", company);
        complete("sam", task(leadId, "Task_AcceptLead"), Map.of("acceptDecision", "reject", "rejectReason", "procedural",
                "rejectComment", "Their head office is in sara's territory"));
        String nextRep = task(leadId, "Task_AcceptLead").getAssignee();
        assertThat(nextRep).isNotNull().isNotEqualTo("sam");

        TasklistPage next = new TasklistPage(browser, base()).logIn(nextRep);
        next.openFilter(TasklistFilters.MY_TASKS);
        next.waitForRow("Accept lead: Grace Hopper, " + company);
        next.openTask("Accept lead: Grace Hopper, " + company);
        browser.waitFor(d -> next.textAreaValue("Previous rejection") != null
                && next.textAreaValue("Previous rejection").contains("Their head office is in sara's territory"));

        assertThat(next.textAreaValue("Previous rejection")).startsWith("Procedural (wrongly routed) — by sam on ");
        assertThat(next.radios("Decision")).as("no decision preselected").isNotEmpty().noneMatch(r -> r.isSelected());
        assertThat(next.textAreaValue("Comment")).as("the previous rep's comment is not in the field").isEmpty();
        next.screenshot("2-next-rep-after-procedural-rejection");
    }

    /** A lead sam accepted and reached on the phone: its Qualify lead waits for him. */
    String reachedBySam(String first, String last, String company) {
        String leadId = leadAtAcceptanceFor("sam", first, last, company);
        complete("sam", task(leadId, "Task_AcceptLead"), Map.of("acceptDecision", "accept"));
        complete("sam", task(leadId, "Task_ContactLead"), Map.of("contactChannel", "phone", "contactOutcome", "connected",
                "contactNote", "Reached her at the office"));
        return leadId;
    }

    @Test
    void completeButtonRecovers_whenTheChoiceHidesAFieldThatShowedAnError() {
        String leadId = reachedBySam("Grace", "Hopper", unique("Compiler Works"));
        TasklistPage sam = new TasklistPage(browser, base()).logIn("sam");
        sam.openTaskById(task(leadId, "Task_QualifyLead").getId());

        sam.select("Timeline", "This quarter").choose("Qualified — create the opportunity (SQL)");
        sam.typeInto("Expected deal size", "-5").complete();
        sam.waitForMessage("Expected deal size (opportunityAmount): must be at least 0"); // the server's refusal
        sam.screenshot("4-negative-deal-size-refused");
        sam.choose("Disqualified");
        browser.waitFor(d -> sam.completeButton().isEnabled());
        sam.screenshot("4-complete-enabled-after-the-amount-is-hidden");
        assertThat(task(leadId, "Task_QualifyLead")).as("still open: nothing was submitted").isNotNull();
    }

    @Test
    void aDealSizeTypedWithThousandsSeparators_isReadAsWholeEuros_andTheFieldSaysHowItReadsWhatIsTyped() {
        String leadId = reachedBySam("Ada", "Byron", unique("Separator Counting"));
        TasklistPage sam = new TasklistPage(browser, base()).logIn("sam");
        sam.openTaskById(task(leadId, "Task_QualifyLead").getId());
        sam.select("Timeline", "This quarter").choose("Qualified — create the opportunity (SQL)");

        // form-js's whole-number field drops every point and comma: thousands separators are safe, cents are not,
        // so the field says so where the rep types
        assertThat(browser.driver().getPageSource()).contains("a point or comma is no decimal mark here");
        sam.typeInto("Expected deal size", "1.500.000");
        assertThat(sam.inputValue("Expected deal size")).isEqualTo("1500000");
        sam.complete();
        browser.waitFor(d -> jdbc.sql("select count(*) from opportunity where lead_id = ?").param(leadId).query(Long.class).single() == 1);
        assertThat(jdbc.sql("select amount from opportunity where lead_id = ?").param(leadId).query(java.math.BigDecimal.class).single())
                .isEqualByComparingTo("1500000");
    }

    @Test
    void completeButtonRecovers_afterARefusedSubmit_whenTheRepChangesTheChoice() {
        String company = unique("Frequency Hopping");
        String leadId = leadAtAcceptanceFor("sam", "Hedy", "Lamarr", company);
        TasklistPage sam = new TasklistPage(browser, base()).logIn("sam");
        sam.openFilter(TasklistFilters.MY_TASKS);
        sam.openTask("Accept lead: Hedy Lamarr, " + company);

        sam.complete();
        sam.waitForMessage("required");
        sam.screenshot("3-no-decision-refused");
        sam.choose("Reject").complete();
        sam.waitForMessage("Reason for rejecting");
        sam.screenshot("3-reject-without-reason-refused");
        assertThat(task(leadId, "Task_AcceptLead")).as("still open").isNotNull();

        sam.choose("Accept (SAL)");
        browser.waitFor(d -> sam.completeButton().isEnabled());
        sam.screenshot("3-complete-enabled-again");
        sam.complete().waitUntilGone("Accept lead: Hedy Lamarr, " + company);

        assertThat(task(leadId, "Task_AcceptLead")).as("accepted").isNull();
        assertThat(task(leadId, "Task_ContactLead")).isNotNull();
    }
}
