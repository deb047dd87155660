package io.leadflow.reporting;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springdoc.core.annotations.ParameterObject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.assignment.AssignmentProperties;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.InvalidFieldsException;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * {@code GET /api/kpis/...}: the numbers marketing and sales share, as JSON or CSV
 * ({@code ?format=csv} or {@code Accept: text/csv}). Every KPI takes the period ({@code from},
 * {@code to}: days, both included, in the SLA's zone; default: this month up to today) and the
 * filters {@code source}, {@code campaign}, {@code team} (a territory: its reps' leads) and
 * {@code rep} (the lead's sales rep).
 */
@RestController
@RequestMapping("/api/kpis")
@ApiResponse(responseCode = "200", description = "The KPI: filter, summary, columns and rows as JSON, or the rows as CSV")
@ApiResponse(responseCode = "400", description = "A period or filter that cannot be read or answered (a day that is no date, to before from, more than 366 days, an unknown team or format); every bad parameter named", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
public class KpiController {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");
    /** A longer period would make the bounded queries unbounded in practice. */
    static final int MAX_DAYS = 366;

    private final KpiQueries kpis;
    private final SlaProperties sla;
    private final AssignmentProperties assignment;
    private final EngineClock clock;

    public KpiController(KpiQueries kpis, SlaProperties sla, AssignmentProperties assignment, EngineClock clock) {
        this.kpis = kpis;
        this.sla = sla;
        this.assignment = assignment;
        this.clock = clock;
    }

    @Operation(summary = "Funnel", description = "Leads entering Inquiry, MQL, SAL, SQL, Opportunity in the period; next-step and cumulative conversion; drop-off.")
    @GetMapping("/funnel")
    public ResponseEntity<?> funnel(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::funnel);
    }

    @Operation(summary = "Velocity", description = "Time in each stage until the next one and capture to opportunity, p50/p90 in hours.")
    @GetMapping("/velocity")
    public ResponseEntity<?> velocity(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::velocity);
    }

    @Operation(summary = "Speed to lead", description = "Capture to the first contact attempt, p50/p90 in minutes.")
    @GetMapping("/speed-to-lead")
    public ResponseEntity<?> speedToLead(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::speedToLead);
    }

    @Operation(summary = "SLA attainment", description = "Share of SLA-bound tasks done in time, per SLA, team and rep.")
    @GetMapping("/sla-attainment")
    public ResponseEntity<?> slaAttainment(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::slaAttainment);
    }

    @Operation(summary = "Reject reasons", description = "Sales' rejections by reason (procedural, clerical, definitional).")
    @GetMapping("/reject-reasons")
    public ResponseEntity<?> rejectReasons(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::rejectReasons);
    }

    @Operation(summary = "Recycles", description = "Recycles by reason; recycle rate = recycled leads per lead accepted (SAL).")
    @GetMapping("/recycles")
    public ResponseEntity<?> recycles(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::recycles);
    }

    @Operation(summary = "Attempts to contact", description = "How many leads were reached at attempt 1..max-attempts.")
    @GetMapping("/attempts-to-contact")
    public ResponseEntity<?> attemptsToContact(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, f -> kpis.attemptsToContact(f, sla.maxAttempts()));
    }

    @Operation(summary = "SQLs against the monthly target", description = "SQLs of a month (month=YYYY-MM, default this month) against leadflow.sla.sql-target-per-month.")
    @GetMapping("/sql-target")
    public ResponseEntity<?> sqlTarget(@ParameterObject KpiQuery query,
                                       @Parameter(description = "the month (YYYY-MM); default: this month") @RequestParam(name = "month", required = false) String monthParam,
                                       @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        Map<String, String> params = query.asMap();
        List<FieldProblem> problems = new ArrayList<>();
        YearMonth month = YearMonth.from(clock.now().atZone(sla.zone()));
        if (monthParam != null) {
            params.put("month", monthParam);
            try {
                month = YearMonth.parse(params.get("month"));
            } catch (DateTimeParseException e) {
                problems.add(new FieldProblem("month", "must be a month as YYYY-MM"));
            }
        }
        KpiFilter filter = filter(params, month.atDay(1), month.atEndOfMonth(), problems);
        return answer(kpis.sqlTarget(filter, sla.sqlTargetPerMonth()), params, accept);
    }

    @Operation(summary = "Closed loop", description = "Per source and campaign: inquiries and opportunities created in the period.")
    @GetMapping("/closed-loop")
    public ResponseEntity<?> closedLoop(@ParameterObject KpiQuery query, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return answer(query.asMap(), accept, kpis::closedLoop);
    }

    private ResponseEntity<?> answer(Map<String, String> params, String accept, Function<KpiFilter, KpiReport> kpi) {
        LocalDate today = LocalDate.ofInstant(clock.now(), sla.zone());
        List<FieldProblem> problems = new ArrayList<>();
        LocalDate from = date(params, "from", today.withDayOfMonth(1), problems);
        LocalDate to = date(params, "to", today, problems);
        return answer(kpi.apply(filter(params, from, to, problems)), params, accept);
    }

    private KpiFilter filter(Map<String, String> params, LocalDate from, LocalDate to, List<FieldProblem> problems) {
        if (from != null && to != null && from.isAfter(to)) {
            problems.add(new FieldProblem("to", "must not be before from"));
        } else if (from != null && to != null && from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            problems.add(new FieldProblem("to", "the period must not be longer than " + MAX_DAYS + " days"));
        }
        String team = blankToNull(params.get("team"));
        String rep = blankToNull(params.get("rep"));
        if (team != null && !assignment.territories().containsKey(team)) {
            problems.add(new FieldProblem("team", "must be one of " + assignment.territories().keySet()));
        }
        String format = params.get("format");
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            problems.add(new FieldProblem("format", "must be csv or json"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidFieldsException("Invalid KPI query", "The KPI query has invalid parameters.", problems);
        }
        List<String> reps = null;
        if (team != null) {
            reps = assignment.repsOf(team);
        }
        if (rep != null) {
            reps = reps == null || reps.contains(rep) ? List.of(rep) : List.of();
        }
        ZoneId zone = sla.zone();
        return new KpiFilter(OffsetDateTime.ofInstant(from.atStartOfDay(zone).toInstant(), zone),
                OffsetDateTime.ofInstant(to.plusDays(1).atStartOfDay(zone).toInstant(), zone),
                blankToNull(params.get("source")), blankToNull(params.get("campaign")), reps);
    }

    private static LocalDate date(Map<String, String> params, String name, LocalDate otherwise, List<FieldProblem> problems) {
        String value = blankToNull(params.get(name));
        if (value == null) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(name, "must be a date as YYYY-MM-DD"));
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static ResponseEntity<?> answer(KpiReport report, Map<String, String> params, String accept) {
        boolean csv = "csv".equals(params.get("format"))
                || (params.get("format") == null && accept != null && accept.contains("text/csv"));
        if (!csv) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
        }
        return ResponseEntity.ok()
                .contentType(new MediaType(TEXT_CSV, java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + report.kpi() + ".csv\"")
                .body(csv(report));
    }

    /**
     * The report's table as CSV: a header row with the column names, then one line per row. A text
     * that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
     * return: a campaign name from a public web form, say) is written with a leading apostrophe, so
     * it opens as the text it is.
     */
    static String csv(KpiReport report) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader(report.columns().toArray(String[]::new)).get())) {
            for (Map<String, Object> row : report.rows()) {
                printer.printRecord(report.columns().stream().map(row::get).map(KpiController::asText).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A name that a spreadsheet could run as a formula starts with an apostrophe: one that starts with
     * {@code = + - @}, a tab or a carriage return, and one in which such a character follows a
     * semicolon or comma (spaces between allowed): a spreadsheet in a locale that separates with
     * {@code ;} splits {@code spring;=1+1} there, whatever the quotes, and runs the second cell.
     */
    private static Object asText(Object value) {
        if (value instanceof String text && FORMULA.matcher(text).find()) {
            return "'" + text;
        }
        return value;
    }

    private static final java.util.regex.Pattern FORMULA = java.util.regex.Pattern.compile("(^|[;,][ \u00a0]*)[=+\\-@\t\r]");
}
