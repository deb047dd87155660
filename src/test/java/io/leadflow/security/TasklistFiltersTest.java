package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.filter.Filter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.process.Bursts;

/** The Tasklist filters reps work from: created once per user, with queries that need no expression. */
class TasklistFiltersTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final List<String> PERSONAL = List.of(TasklistFilters.MY_TEAMS_TASKS, TasklistFilters.MY_TASKS,
            TasklistFilters.DUE_TODAY, TasklistFilters.AT_RISK_OR_BREACHED);

    @Autowired
    TasklistFilters tasklistFilters;

    @Autowired
    FilterService filters;

    @Autowired
    io.leadflow.sla.SlaProperties sla;

    @Autowired
    io.leadflow.sla.EngineClock clock;

    long count(String name, String owner) {
        return filters.createFilterQuery().filterName(name).filterOwner(owner).count();
    }

    @Test
    void everyRepHasTheirFourFilters_once_evenAfterRestartsOfTwoNodesAtOnce() throws Exception {
        for (String name : PERSONAL) {
            assertThat(count(name, "sam")).as(name).isEqualTo(1);
        }

        // the first start of two nodes at the same time, on a database without these filters: both run the
        // start-up work together, and only the row lock keeps them from creating every filter twice
        List<String> names = new java.util.ArrayList<>(PERSONAL);
        names.addAll(List.of(TasklistFilters.OPEN_TASKS, TasklistFilters.SALES_TASKS, TasklistFilters.MARKETING_TASKS));
        for (String name : names) {
            filters.createFilterQuery().filterName(name).list().forEach(f -> filters.deleteFilter(f.getId()));
        }
        assertThat(count(TasklistFilters.MY_TASKS, "sam")).isZero();
        // both nodes' start-up work at once, each on a thread of its own, started together
        Bursts.atOnce(2, 2, node -> {
            tasklistFilters.createFilters();
            return node;
        });
        tasklistFilters.createFilters();

        for (String user : List.of("sam", "mia", "max", "paula")) {
            for (String name : PERSONAL) {
                assertThat(count(name, user)).as("%s of %s", name, user).isEqualTo(1);
            }
        }
        for (String shared : List.of(TasklistFilters.OPEN_TASKS, TasklistFilters.SALES_TASKS, TasklistFilters.MARKETING_TASKS)) {
            assertThat(filters.createFilterQuery().filterName(shared).count()).as(shared).isEqualTo(1);
        }
    }

    @Test
    void samsFilters_listHisTeamsTasksByDueDate_withTheLeadInEveryRow_andTheTeamListFirst() {
        tasklistFilters.createFilters(); // "Due today" holds today's date, as the nightly run writes it
        java.time.Instant endOfToday = java.time.ZonedDateTime.ofInstant(clock.now(), sla.zone()).toLocalDate().plusDays(1)
                .atStartOfDay(sla.zone()).toInstant();
        Map<String, Object> team = filterAsSam(TasklistFilters.MY_TEAMS_TASKS);
        Map<String, Object> mine = filterAsSam(TasklistFilters.MY_TASKS);
        Map<String, Object> dueToday = filterAsSam(TasklistFilters.DUE_TODAY);
        Map<String, Object> atRisk = filterAsSam(TasklistFilters.AT_RISK_OR_BREACHED);

        assertThat(query(team)).containsEntry("candidateGroups", List.of("sales")).containsEntry("includeAssignedTasks", true)
                .containsEntry("sorting", List.of(Map.of("sortBy", "dueDate", "sortOrder", "asc")));
        assertThat(query(mine)).containsEntry("assignee", "sam");
        assertThat(query(dueToday)).containsEntry("candidateGroups", List.of("sales"));
        assertThat(java.time.OffsetDateTime.parse((String) query(dueToday).get("dueBefore"),
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant())
                .as("due before the end of today in the SLA's zone").isEqualTo(endOfToday);
        assertThat(query(atRisk)).containsEntry("candidateGroups", List.of("sales"))
                .containsEntry("taskVariables", List.of(Map.of("name", "slaStatus", "operator", "neq", "value", "ON_TIME")));
        for (Map<String, Object> filter : List.of(team, mine, dueToday, atRisk)) {
            assertThat(properties(filter).get("variables")).as("the columns of %s", filter.get("name"))
                    .isEqualTo(List.of(Map.of("name", "leadScore", "label", "Score"), Map.of("name", "fitGrade", "label", "Grade"),
                            Map.of("name", "leadNumber", "label", "No."), Map.of("name", "contactName", "label", "Lead"),
                            Map.of("name", "companyName", "label", "Company")));
            assertThat(query(filter).toString()).as("no expression in a stored query").doesNotContain("${");
        }

        List<Map<String, Object>> visible = http.get().uri("/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=100")
                .headers(h -> h.setBasicAuth("sam", "demo")).retrieve().body(LIST);
        Map<String, Object> first = visible.stream()
                .min((a, b) -> Double.compare(((Number) properties(a).get("priority")).doubleValue(),
                        ((Number) properties(b).get("priority")).doubleValue()))
                .orElseThrow();
        assertThat(first.get("name")).as("Tasklist opens the filter with the lowest priority").isEqualTo(TasklistFilters.MY_TEAMS_TASKS);
        assertThat(visible).extracting(f -> f.get("name")).doesNotHaveDuplicates();
    }

    Map<String, Object> filterAsSam(String name) {
        Filter filter = filters.createFilterQuery().filterName(name).filterOwner("sam").singleResult();
        return http.get().uri("/engine-rest/filter/{id}", filter.getId()).headers(h -> h.setBasicAuth("sam", "demo"))
                .retrieve().body(MAP);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> query(Map<String, Object> filter) {
        return (Map<String, Object>) filter.get("query");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> filter) {
        return (Map<String, Object>) filter.get("properties");
    }
}
