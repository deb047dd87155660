package io.leadflow.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.browser.Browser;
import io.leadflow.lead.LeadNumbers;
import io.leadflow.sla.SlaProperties;

/**
 * A sales manager opens the Cockpit dashboard in headless Chromium: the leadflow KPI plugin shows
 * the funnel {@code GET /api/kpis/funnel} answers for the same period, and choosing a source in the
 * plugin changes the numbers exactly as the API's {@code source} parameter does. The leads are this
 * test's own (two sources of its own, in February 2025, where no other test writes), so the numbers
 * are known in advance. Screenshots: {@code target/browser-screenshots/cockpit-kpis-*.png}.
 */
class CockpitKpiBrowserTest extends SpringIntegrationTest {

    static final LocalDate FROM = LocalDate.of(2025, 2, 1);
    static final LocalDate TO = LocalDate.of(2025, 2, 28);
    static final OffsetDateTime CAPTURED = OffsetDateTime.parse("2025-02-10T09:00:00Z");
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    SlaProperties sla;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    String webinar;
    String partner;

    @BeforeEach
    void givenLeadsOfTwoSourcesInFebruary() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        webinar = "webinar-" + run;
        partner = "partner-" + run;
        // webinar: 4 captured; 3 MQL; 2 accepted (SAL); 1 SQL that became an opportunity
        lead(webinar, "MQL", "SAL", "SQL", "OPPORTUNITY");
        lead(webinar, "MQL", "SAL");
        lead(webinar, "MQL");
        lead(webinar);
        // partner: 2 captured; 1 MQL
        lead(partner, "MQL");
        lead(partner);
        browser = Browser.start();
    }

    @AfterEach
    void quitTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aSalesManagerInCockpit_seesTheApisFunnel_andTheSourceFilterNarrowsItAsTheApiParameterDoes() {
        CockpitKpiDashboard dashboard = CockpitKpiDashboard.logIn(browser, "http://localhost:" + port, "max", "demo");

        dashboard.showPeriod(FROM, TO);
        dashboard.screenshot("cockpit-kpis-all-sources");
        List<Long> allSources = dashboard.funnel();
        assertThat(allSources).isEqualTo(apiFunnel(null));
        assertThat(allSources.get(0)).as("inquiries of February, this test's six among them").isGreaterThanOrEqualTo(6);

        dashboard.chooseSource(webinar);
        dashboard.screenshot("cockpit-kpis-one-source");
        assertThat(dashboard.funnel()).isEqualTo(apiFunnel(webinar)).containsExactly(4L, 3L, 2L, 1L, 1L);
        assertThat(dashboard.dropOff("INQUIRY")).as("Inquiry → MQL: 1 of 4 lost").isEqualTo("↓ 25.0 %");
        assertThat(dashboard.dropOff("SAL")).as("SAL → SQL: 1 of 2 lost").isEqualTo("↓ 50.0 %");
        assertThat(dashboard.sqlTarget("2025-02")).as("February's SQLs, all sources (the target is the company's)")
                .isEqualTo(apiSqls("2025-02") + " of " + sla.sqlTargetPerMonth());

        dashboard.chooseSource(partner);
        assertThat(dashboard.funnel()).isEqualTo(apiFunnel(partner)).containsExactly(2L, 1L, 0L, 0L, 0L);

        // a period that ends before it begins is refused in the filter's words, and February's figures fade
        String[] refused = dashboard.refusedPeriod(TO, FROM);
        dashboard.screenshot("cockpit-kpis-refused-period");
        assertThat(refused[0]).isEqualTo("The KPIs could not be loaded: To must not be before From");
        assertThat(Double.parseDouble(refused[1])).as("opacity of the figures shown before").isLessThan(1.0);
    }

    /** A month's SQLs, all sources, as the API answers them to the same manager. */
    private long apiSqls(String month) {
        RestClient max = anonymous.mutate().defaultHeaders(headers -> headers.setBasicAuth("max", "demo")).build();
        Map<String, Object> target = max.get().uri("/api/kpis/sql-target?month=" + month).retrieve().body(MAP);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) target.get("summary");
        long sqls = ((Number) summary.get("sqls")).longValue();
        assertThat(sqls).as("this test's SQL among them").isPositive();
        return sqls;
    }

    /** The entries per funnel stage as the API answers them to the same manager (HTTP Basic). */
    @SuppressWarnings("unchecked")
    private List<Long> apiFunnel(String source) {
        RestClient max = anonymous.mutate().defaultHeaders(headers -> headers.setBasicAuth("max", "demo")).build();
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/api/kpis/funnel").queryParam("from", FROM).queryParam("to", TO);
        if (source != null) {
            uri.queryParam("source", source);
        }
        Map<String, Object> funnel = max.get().uri(uri.build().toUriString()).retrieve().body(MAP);
        assertThat(funnel).as("the API's funnel").containsKey("rows");
        return ((List<Map<String, Object>>) funnel.get("rows")).stream()
                .map(row -> ((Number) row.get("entered")).longValue()).toList();
    }

    /** A lead captured on February 10 that entered the given stages on the following days. */
    private void lead(String source, String... stages) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                insert into lead (id, lead_number, email, email_normalized, source, stage, created_at, updated_at)
                values (:id, :number, :email, :email, :source, :stage, :at, :at)
                """)
                .param("id", id).param("number", LeadNumbers.format(CAPTURED,
                        jdbc.sql("select nextval('lead_number_seq')").query(Long.class).single())).param("email", id + "@browser.example").param("source", source)
                .param("stage", stages.length == 0 ? "INQUIRY" : stages[stages.length - 1]).param("at", CAPTURED).update();
        for (int i = 0; i < stages.length; i++) {
            jdbc.sql("insert into lead_stage_entry (lead_id, stage, entered_at) values (:id, :stage, :at)")
                    .param("id", id).param("stage", stages[i]).param("at", CAPTURED.plusDays(i + 1)).update();
        }
    }
}
