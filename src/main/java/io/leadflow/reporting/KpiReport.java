package io.leadflow.reporting;

import java.util.List;
import java.util.Map;

/**
 * One KPI as both JSON and CSV: the filter it was computed with, a few headline figures
 * ({@code summary}) and its table ({@code columns}, one map per row, keys in column order).
 */
public record KpiReport(String kpi, Map<String, Object> filter, Map<String, Object> summary,
                        List<String> columns, List<Map<String, Object>> rows) {

    /** The row whose {@code column} equals {@code value}, for tests and callers that pick one. */
    public Map<String, Object> row(String column, Object value) {
        return rows.stream().filter(r -> value.equals(r.get(column))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No row with " + column + " = " + value + " in " + kpi));
    }
}
