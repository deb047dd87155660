package io.leadflow.reporting;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.assignment.AssignmentProperties;
import io.leadflow.capture.LeadCaptureService;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.NewLead;
import io.leadflow.nurture.EngagementService;
import io.leadflow.sla.EngineClock;

/**
 * A realistic month of leads for the KPIs, made by the real lifecycle: leads are captured through
 * the capture service over simulated time, simulated reps complete their tasks (in business hours,
 * some after the deadline) with the configured probabilities, and the engine clock is moved step by
 * step so reminders, breaches, cadence waits and revisit timers fire as they would. Only for an
 * empty database (the demo); the clock is back on the wall clock afterwards.
 */
public class DemoMonth {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMonth.class);
    private static final Duration STEP = Duration.ofMinutes(15);

    private final DemoDataProperties config;
    private final LeadCaptureService capture;
    private final EngagementService engagements;
    private final TaskService tasks;
    private final ManagementService management;
    private final EngineClock clock;
    private final AssignmentProperties assignment;
    private final ZoneId zone;
    private final Random random;
    private final Map<String, Instant> actAt = new HashMap<>();
    private final Map<String, NewLead> capturedLeads = new HashMap<>();
    private final List<Object[]> engagementsDue = new ArrayList<>();
    private int completed;

    public DemoMonth(DemoDataProperties config, LeadCaptureService capture, EngagementService engagements, TaskService tasks,
                     ManagementService management, EngineClock clock, AssignmentProperties assignment, ZoneId zone) {
        this.config = config;
        this.capture = capture;
        this.engagements = engagements;
        this.tasks = tasks;
        this.management = management;
        this.clock = clock;
        this.assignment = assignment;
        this.zone = zone;
        this.random = new Random(config.seed());
    }

    /** True when no lead is recorded yet: the demo month is only made on an empty database. */
    public static boolean isEmpty(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from lead").query(Long.class).single() == 0;
    }

    /** Simulates the month ending at {@code end}; returns the number of completed tasks. */
    public int run(Instant end) {
        Instant start = end.minus(Duration.ofDays(config.days())).truncatedTo(ChronoUnit.HOURS);
        List<Instant> captures = new ArrayList<>();
        long span = Duration.between(start, end.minus(Duration.ofDays(1))).toMillis();
        for (int i = 0; i < config.leads(); i++) {
            captures.add(start.plusMillis((long) (random.nextDouble() * span)));
        }
        captures.sort(null);
        int next = 0;
        try {
            for (Instant now = start; now.isBefore(end); now = now.plus(STEP)) {
                clock.moveTo(now);
                while (next < captures.size() && !captures.get(next).isAfter(now)) {
                    captureOne(now);
                    next++;
                }
                recordEngagements(now);
                runDueJobs();
                if (isWorkingTime(now)) {
                    workTasks(now);
                    runDueJobs();
                }
            }
        } finally {
            clock.reset();
        }
        LOG.info("Demo month: {} leads captured, {} tasks completed between {} and {}", config.leads(), completed, start, end);
        return completed;
    }

    private void captureOne(Instant now) {
        boolean strong = random.nextDouble() < config.strongShare();
        int n = capturedLeads.size() + 1;
        String campaign = pick(config.campaigns());
        NewLead lead = new NewLead("demo" + n + "@" + (strong ? "enterprise" : "small") + n + ".example",
                pick(Map.of("Ada", 1.0, "Grace", 1.0, "Alan", 1.0, "Edsger", 1.0, "Barbara", 1.0)),
                pick(Map.of("Lovelace", 1.0, "Hopper", 1.0, "Turing", 1.0, "Dijkstra", 1.0, "Liskov", 1.0)),
                "+49 30 1234" + n, (strong ? "Enterprise " : "Small ") + n,
                strong ? "CTO" : "Analyst",
                strong ? pick(Map.of("executive", 2.0, "manager", 1.0)) : pick(Map.of("practitioner", 2.0, "other", 1.0)),
                strong ? pick(Map.of("software", 2.0, "saas", 1.0)) : pick(Map.of("retail", 1.0, "education", 1.0)),
                strong ? 200 + random.nextInt(1800) : 5 + random.nextInt(30),
                strong ? pick(Map.of("DE", 3.0, "US", 2.0, "GB", 1.0)) : pick(Map.of("BR", 1.0, "IN", 1.0, "FR", 1.0)),
                pick(config.sources()), "none".equals(campaign) ? null : campaign);
        String leadId = capture.capture(lead).leadId();
        capturedLeads.put(leadId, lead);
        if (!strong && random.nextDouble() < config.reEngageShare()) {
            Instant later = now.plus(Duration.ofHours(24 + random.nextInt(24 * 9)));
            engagementsDue.add(new Object[] {later, leadId, "webinar"});
            engagementsDue.add(new Object[] {later.plus(Duration.ofHours(2)), leadId, "download"});
        }
    }

    private void recordEngagements(Instant now) {
        for (var it = engagementsDue.iterator(); it.hasNext(); ) {
            Object[] due = it.next();
            if (!((Instant) due[0]).isAfter(now)) {
                engagements.record((String) due[1], (String) due[2], null, "demo month");
                it.remove();
            }
        }
    }

    /** The job executor may run too: a job it took first is simply skipped. */
    private void runDueJobs() {
        for (int round = 0; round < 20; round++) {
            List<Job> due = management.createJobQuery().executable().listPage(0, 200);
            if (due.isEmpty()) {
                return;
            }
            for (Job job : due) {
                try {
                    management.executeJob(job.getId());
                } catch (ProcessEngineException e) {
                    LOG.debug("Demo month: job {} not run now ({})", job.getId(), e.getMessage());
                }
            }
        }
    }

    private void workTasks(Instant now) {
        for (Task task : tasks.createTaskQuery().active().list()) {
            Instant when = actAt.computeIfAbsent(task.getId(), id -> plannedAt(task));
            if (!when.isAfter(now)) {
                try {
                    tasks.complete(task.getId(), decide(task, now));
                    completed++;
                    actAt.remove(task.getId());
                } catch (RuntimeException e) {
                    // refused input (e.g. a rep who is not a user here): the task waits for a person
                    LOG.info("Demo month: '{}' left open ({})", task.getName(), e.getMessage());
                    actAt.put(task.getId(), Instant.MAX);
                }
            }
        }
    }

    /** On time: somewhere before the deadline; late (the configured share): up to a day after it. */
    private Instant plannedAt(Task task) {
        Instant created = task.getCreateTime().toInstant();
        if (task.getDueDate() == null) {
            return created.plus(Duration.ofMinutes(random.nextInt(240)));
        }
        Instant due = task.getDueDate().toInstant();
        if (random.nextDouble() < config.reps().late()) {
            return due.plus(Duration.ofMinutes(30 + random.nextInt(24 * 60)));
        }
        long window = Math.max(1, Duration.between(created, due).toMinutes());
        return created.plus(Duration.ofMinutes((long) (window * (0.1 + 0.8 * random.nextDouble()))));
    }

    private Map<String, Object> decide(Task task, Instant now) {
        DemoDataProperties.Reps reps = config.reps();
        Map<String, Object> v = new HashMap<>();
        switch (task.getTaskDefinitionKey()) {
            case "Task_ReviewMql" -> {
                boolean approve = random.nextDouble() < reps.approveMql();
                v.put(LeadVariables.REVIEW_DECISION, approve ? "approve" : "nurture");
                v.put(LeadVariables.REVIEW_NOTE, approve ? "fits the ICP" : "not yet: nurture");
            }
            case "Task_AcceptLead" -> {
                if (random.nextDouble() < reps.accept()) {
                    v.put(LeadVariables.ACCEPT_DECISION, "accept");
                } else {
                    v.put(LeadVariables.ACCEPT_DECISION, "reject");
                    v.put(LeadVariables.REJECT_REASON, pick(reps.rejectReasons()));
                    v.put(LeadVariables.REJECT_COMMENT, "demo month: rejected");
                }
            }
            case "Task_FixLeadData" -> {
                NewLead lead = capturedLeads.get(String.valueOf(tasks.getVariable(task.getId(), LeadVariables.LEAD_ID)));
                if (lead != null) {
                    v.put(LeadVariables.EMAIL, lead.email());
                    v.put(LeadVariables.FIRST_NAME, lead.firstName());
                    v.put(LeadVariables.LAST_NAME, lead.lastName());
                    v.put(LeadVariables.COMPANY_NAME, lead.company());
                    v.put(LeadVariables.ROLE, lead.role());
                    v.put(LeadVariables.COMPANY_SIZE, lead.companySize());
                    v.put(LeadVariables.COUNTRY, lead.country());
                }
                v.put(LeadVariables.FIX_NOTE, "demo month: data completed");
            }
            case "Task_AssignLeadByHand" -> {
                List<String> all = assignment.territories().values().stream().flatMap(List::stream).distinct().toList();
                v.put(LeadVariables.ASSIGN_TO, all.isEmpty() ? "sam" : all.get(random.nextInt(all.size())));
            }
            case "Task_ContactLead" -> {
                double draw = random.nextDouble();
                v.put(LeadVariables.CONTACT_CHANNEL, pick(Map.of("phone", 3.0, "email", 2.0, "linkedin", 1.0)));
                v.put(LeadVariables.CONTACT_OUTCOME, draw < reps.connect() ? "connected"
                        : draw < reps.connect() + reps.doNotContact() ? "doNotContact"
                        : pick(Map.of("noAnswer", 3.0, "voicemail", 2.0)));
                v.put(LeadVariables.CONTACT_NOTE, "demo month");
            }
            case "Task_QualifyLead" -> {
                if (random.nextDouble() < reps.qualify()) {
                    v.put(LeadVariables.BUDGET_CONFIRMED, true);
                    v.put(LeadVariables.AUTHORITY_CONFIRMED, true);
                    v.put(LeadVariables.NEED_CONFIRMED, true);
                    v.put(LeadVariables.TIMELINE, pick(Map.of("now", 1.0, "quarter", 2.0, "halfYear", 1.0)));
                    v.put(LeadVariables.QUALIFICATION_DECISION, "qualified");
                    v.put(LeadVariables.OPPORTUNITY_AMOUNT, (long) (5 + random.nextInt(46)) * 1000);
                } else {
                    String reason = pick(reps.disqualifyReasons());
                    v.put(LeadVariables.BUDGET_CONFIRMED, false);
                    v.put(LeadVariables.AUTHORITY_CONFIRMED, true);
                    v.put(LeadVariables.NEED_CONFIRMED, !"noNeed".equals(reason));
                    v.put(LeadVariables.TIMELINE, "later");
                    v.put(LeadVariables.QUALIFICATION_DECISION, "disqualified");
                    v.put(LeadVariables.DISQUALIFY_REASON, reason);
                    if ("timing".equals(reason)) {
                        v.put(LeadVariables.REVISIT_DATE, now.atZone(zone).toLocalDate().plusDays(14 + random.nextInt(30)).toString());
                    }
                }
                v.put(LeadVariables.QUALIFICATION_NOTE, "demo month");
            }
            default -> {
                // a task the simulation does not know stays for a person
            }
        }
        return v;
    }

    private boolean isWorkingTime(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        return local.getDayOfWeek() != DayOfWeek.SATURDAY && local.getDayOfWeek() != DayOfWeek.SUNDAY
                && !time.isBefore(LocalTime.of(8, 30)) && time.isBefore(LocalTime.of(17, 30));
    }

    private String pick(Map<String, Double> weights) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(new java.util.TreeMap<>(weights).entrySet());
        double total = entries.stream().mapToDouble(Map.Entry::getValue).sum();
        double draw = random.nextDouble() * total;
        for (Map.Entry<String, Double> e : entries) {
            draw -= e.getValue();
            if (draw < 0) {
                return e.getKey();
            }
        }
        return entries.get(entries.size() - 1).getKey();
    }
}
