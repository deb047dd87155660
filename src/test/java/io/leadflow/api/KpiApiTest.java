package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/** The KPI endpoints over HTTP: JSON, CSV on request, problem details for a bad query. */
@SuppressWarnings("unchecked")
class KpiApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Test
    void givenEveryKpi_whenAskedForAPeriod_thenEachAnswersJsonWithItsColumnsAndRows() {
        for (String kpi : List.of("funnel", "velocity", "speed-to-lead", "sla-attainment", "reject-reasons", "recycles",
                "attempts-to-contact", "sql-target", "closed-loop")) {
            ResponseEntity<Map<String, Object>> answer = http.get().uri("/api/kpis/" + kpi + "?from=2026-11-01&to=2026-11-30")
                    .retrieve().toEntity(MAP);

            assertThat(answer.getStatusCode()).as(kpi).isEqualTo(HttpStatus.OK);
            assertThat(answer.getBody()).as(kpi).containsEntry("kpi", kpi).containsKeys("filter", "columns", "rows");
            // the period as it was asked: its first and last day, both included (sql-target: this month's)
            if (!kpi.equals("sql-target")) {
                assertThat((Map<String, Object>) answer.getBody().get("filter")).as("%s filter", kpi)
                        .containsEntry("from", "2026-11-01").containsEntry("to", "2026-11-30");
            }
            List<String> columns = (List<String>) answer.getBody().get("columns");
            assertThat(columns).as("%s columns", kpi).isNotEmpty();
            // a row names its columns only (a value without meaning, such as a conversion of no leads, is left out)
            assertThat((List<Map<String, Object>>) answer.getBody().get("rows")).as("%s rows: values of its columns", kpi)
                    .allSatisfy(row -> assertThat(columns).containsAll(row.keySet()).contains(columns.get(0)));
            if (kpi.equals("funnel")) {
                assertThat((List<Map<String, Object>>) answer.getBody().get("rows")).extracting(row -> row.get("stage"))
                        .containsExactly("INQUIRY", "MQL", "SAL", "SQL", "OPPORTUNITY");
            }
        }
    }

    @Test
    void givenAMonth_whenTheSqlTargetIsAsked_thenItsFilterNamesTheMonthsFirstAndLastDay() {
        ResponseEntity<Map<String, Object>> answer = http.get().uri("/api/kpis/sql-target?month=2026-02").retrieve().toEntity(MAP);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat((Map<String, Object>) answer.getBody().get("filter")).containsEntry("from", "2026-02-01").containsEntry("to", "2026-02-28");
    }

    @Test
    void givenAcceptTextCsvOrFormatCsv_whenTheFunnelIsAsked_thenItIsACsvTableWithAHeaderRow() {
        ResponseEntity<String> byHeader = http.get().uri("/api/kpis/funnel?from=2026-11-01&to=2026-11-30")
                .accept(MediaType.parseMediaType("text/csv")).retrieve().toEntity(String.class);
        ResponseEntity<String> byParameter = http.get().uri("/api/kpis/reject-reasons?format=csv").retrieve().toEntity(String.class);

        assertThat(byHeader.getHeaders().getContentType().isCompatibleWith(MediaType.parseMediaType("text/csv"))).isTrue();
        assertThat(byHeader.getBody().lines().toList()).hasSize(6)
                .first().isEqualTo("stage,entered,nextStepConversion,cumulativeConversion,dropOffToNext");
        assertThat(byParameter.getBody()).startsWith("reason,count,share");
    }

    @Test
    void givenABadPeriodOrAnUnknownTeam_whenAKpiIsAsked_thenAProblemNamesEveryBadField() {
        ResponseEntity<Map<String, Object>> answer = http.get()
                .uri("/api/kpis/funnel?from=2026-13-01&to=2026-11-30&team=atlantis&format=xml").retrieve().toEntity(MAP);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat((List<Map<String, Object>>) answer.getBody().get("errors")).extracting(e -> e.get("field"))
                .containsExactlyInAnyOrder("from", "team", "format");
        ResponseEntity<Map<String, Object>> reversed = http.get().uri("/api/kpis/funnel?from=2026-11-30&to=2026-11-01").retrieve().toEntity(MAP);
        assertThat(reversed.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((List<Map<String, Object>>) reversed.getBody().get("errors")).extracting(e -> e.get("field")).containsExactly("to");
    }
}
