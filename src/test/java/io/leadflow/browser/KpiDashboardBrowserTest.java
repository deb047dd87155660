package io.leadflow.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.UriComponentsBuilder;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.reporting.KpiQueries;

/**
 * A manager opens the Cockpit dashboard in headless Chromium: the leadflow KPI plugin shows the
 * funnel the API computes, and the source filter changes it as the API's parameter does.
 * Screenshots: target/screenshots/cockpit-kpis-*.png.
 */
class KpiDashboardBrowserTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    String source;

    @BeforeEach
    void leadsOfTwoSources() {
        // leads of this test's own sources, captured now (inside the dashboard's default period)
        source = "browser" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < 3; i++) {
            String id = lead(source, now);
            if (i == 0) {
                jdbc.sql("insert into lead_stage_entry (lead_id, stage, entered_at) values (:id, 'MQL', :at)")
                        .param("id", id).param("at", now).update();
            }
        }
        lead(source + "Other", now);
        lead(source + "Other", now);
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void givenAManagerInCockpit_whenTheDashboardOpens_thenTheFunnelEqualsTheApisAndTheSourceFilterNarrowsItTheSameWay() {
        String base = "http://localhost:" + port;
        browser.logInToCamunda(base, "cockpit", "max", "demo");
        browser.open(base + "/camunda/app/cockpit/default/#/dashboard");

        Map<String, String> everything = loadedFilter("{\"from\":\"\",\"to\":\"\",\"source\":\"\"}");
        browser.scrollTo(By.id("leadflow-kpis"));
        browser.screenshot("cockpit-kpis-all-sources");
        List<Long> shownForAll = shownFunnel();
        assertThat(shownForAll).isEqualTo(apiFunnel(everything));
        assertThat(shownForAll.get(0)).as("inquiries of all sources").isGreaterThanOrEqualTo(5);

        new Select(browser.find(By.id("lf-source"))).selectByValue(source);
        Map<String, String> oneSource = loadedFilter("{\"from\":\"\",\"to\":\"\",\"source\":\"" + source + "\"}");
        browser.scrollTo(By.id("leadflow-kpis"));
        browser.screenshot("cockpit-kpis-one-source");
        List<Long> shownForSource = shownFunnel();
        assertThat(shownForSource).isEqualTo(apiFunnel(oneSource))
                .containsExactly(3L, 1L, 0L, 0L, 0L);
        assertThat(browser.find(By.cssSelector("#lf-funnel tr[data-stage='INQUIRY'] .lf-dropoff")).getText())
                .as("drop-off Inquiry → MQL: 2 of 3").isEqualTo("↓ 66.7 %");
    }

    /** Waits until the dashboard has loaded the given filter (the plugin writes it to #lf-status). */
    private Map<String, String> loadedFilter(String filterJson) {
        browser.waitFor(ExpectedConditions.and(
                ExpectedConditions.attributeToBe(By.id("lf-status"), "data-state", "loaded"),
                ExpectedConditions.attributeToBe(By.id("lf-status"), "data-filter", filterJson)));
        String shown = browser.find(By.id("lf-status")).getAttribute("data-filter");
        return shown.contains("\"source\":\"\"") ? Map.of() : Map.of("source", source);
    }

    private List<Long> shownFunnel() {
        return KpiQueries.FUNNEL.stream()
                .map(stage -> Long.parseLong(browser.find(By.cssSelector("[data-kpi='funnel-" + stage + "']")).getText().trim()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private List<Long> apiFunnel(Map<String, String> filter) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/api/kpis/funnel");
        filter.forEach(uri::queryParam);
        Map<String, Object> funnel = http.get().uri(uri.build().toUriString()).retrieve().body(MAP);
        return ((List<Map<String, Object>>) funnel.get("rows")).stream()
                .map(r -> ((Number) r.get("entered")).longValue()).toList();
    }

    private String lead(String leadSource, OffsetDateTime at) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                insert into lead (id, email, email_normalized, source, stage, created_at, updated_at)
                values (:id, :email, :email, :source, 'INQUIRY', :at, :at)
                """)
                .param("id", id).param("email", id + "@browser.example").param("source", leadSource).param("at", at).update();
        return id;
    }
}
