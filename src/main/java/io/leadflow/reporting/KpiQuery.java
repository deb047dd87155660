package io.leadflow.reporting;

import java.util.HashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.Parameter;

/** The query parameters every KPI takes (checked by {@link KpiController}, bad ones named in a 400 problem). */
public record KpiQuery(
        @Parameter(description = "first day (YYYY-MM-DD, SLA time zone); default: the first of this month") String from,
        @Parameter(description = "last day, included (YYYY-MM-DD); default: today; at most 366 days after from") String to,
        @Parameter(description = "only leads of this source (webForm, import, api, …)") String source,
        @Parameter(description = "only leads of this campaign") String campaign,
        @Parameter(description = "only leads of this team's reps (a territory of leadflow.assignment.territories)") String team,
        @Parameter(description = "only leads of this sales rep") String rep,
        @Parameter(description = "csv for a CSV table (or send Accept: text/csv); default json") String format) {

    Map<String, String> asMap() {
        Map<String, String> map = new HashMap<>();
        put(map, "from", from);
        put(map, "to", to);
        put(map, "source", source);
        put(map, "campaign", campaign);
        put(map, "team", team);
        put(map, "rep", rep);
        put(map, "format", format);
        return map;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
