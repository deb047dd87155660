package io.leadflow.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.camunda.community.process_test_coverage.engine.platform7.ProcessCoverageConfigurator;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import io.leadflow.assignment.AbsenceReroutes;
import io.leadflow.assignment.ApplyRepAvailabilityChangeDelegate;
import io.leadflow.assignment.AssignSalesRepDelegate;
import io.leadflow.assignment.AssignmentProperties;
import io.leadflow.assignment.RepAvailability;
import io.leadflow.assignment.RepRotation;
import io.leadflow.capture.IdempotencyKeys;
import io.leadflow.capture.LeadCaptureService;
import io.leadflow.capture.LeadRegistration;
import io.leadflow.capture.RegisterLeadDelegate;
import io.leadflow.conversion.HandOverOpportunityDelegate;
import io.leadflow.conversion.OpportunityRepository;
import io.leadflow.followup.PlanAttemptDelegate;
import io.leadflow.followup.RecordAttemptDelegate;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStages;
import io.leadflow.notification.NotificationProperties;
import io.leadflow.notification.NotificationBatches;
import io.leadflow.notification.NotificationOutbox;
import io.leadflow.notification.Notifications;
import io.leadflow.notification.SendNotificationDelegate;
import io.leadflow.platform.CamundaInternals.CachingFeelEngine;
import io.leadflow.platform.CamundaInternals.IdCheckWithoutToString;
import io.leadflow.platform.HistoryWithoutVariableDetails;
import io.leadflow.nurture.EngagementService;
import io.leadflow.qualification.DisqualifyLeadDelegate;
import io.leadflow.qualification.RecordRejectionDelegate;
import io.leadflow.qualification.SaveLeadDataDelegate;
import io.leadflow.recycling.ArchiveLeadDelegate;
import io.leadflow.recycling.BlacklistLeadDelegate;
import io.leadflow.recycling.PrivacyProperties;
import io.leadflow.recycling.Suppressions;
import io.leadflow.recycling.DoNotContactService;
import io.leadflow.recycling.RecycleLeadDelegate;
import io.leadflow.scoring.DeployedScoringTables;
import io.leadflow.scoring.LeadScorer;
import io.leadflow.scoring.ScoreLeadDelegate;
import io.leadflow.scoring.ScoringTables;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.EscalateSlaBreachDelegate;
import io.leadflow.sla.RecordManualAssignmentDelegate;
import io.leadflow.sla.RemindAssigneeDelegate;
import io.leadflow.sla.SlaBreachRepository;
import io.leadflow.sla.SlaProperties;
import io.leadflow.sla.SlaTimers;

/**
 * A process engine for model tests without a Spring context: in-memory H2 with the application's
 * migrations, the engine in the same Spring-managed transactions as production, and the real
 * delegates wired by hand under their bean names. The job executor is off; tests run jobs and move
 * the clock themselves.
 */
public final class ProcessTestEngine {

    public final DataSource dataSource;
    public final JdbcClient jdbc;
    public final SlaProperties sla;
    public final AssignmentProperties assignment;
    public final EngineClock clock = new EngineClock();
    public final LeadRepository leads;
    public final SlaBreachRepository breaches;
    public final OpportunityRepository opportunities;
    public final SpringProcessEngineConfiguration configuration;
    private final Map<Object, Object> beans = new HashMap<>();
    private EngagementService engagementService;
    /** Set before the first test to send real mail (e.g. to an SMTP server on loopback); null: log only. */
    public JavaMailSender mailSender;
    /** Set before the first test to call a webhook; null: no webhook. */
    public String webhookUrl;
    private DoNotContactService doNotContactService;
    private LeadRegistration registration;
    private LeadCaptureService captureService;
    private RepAvailability availability;
    private AbsenceReroutes reroutes;
    private NotificationBatches notificationBatches;

    /** On a fresh in-memory H2 database. */
    public ProcessTestEngine(String name) {
        this(name, h2(name));
    }

    private static DataSource h2(String name) {
        return h2(name, "");
    }

    private static DataSource h2(String name, String options) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + options);
        h2.setUser("sa");
        return h2;
    }

    /**
     * On a fresh in-memory H2 that waits for a lock up to 10 s, as application.yaml does (PostgreSQL
     * waits as long as it takes): for tests that race many threads on the same rows.
     */
    public static ProcessTestEngine onH2ForRaces(String name) {
        return new ProcessTestEngine(name, h2(name, ";LOCK_TIMEOUT=10000"));
    }

    /** On the given (empty) database: the application's migrations and the engine's schema are created. */
    public ProcessTestEngine(String name, DataSource h2) {
        this.dataSource = h2;
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        this.jdbc = JdbcClient.create(h2);
        this.sla = bind("leadflow.sla", SlaProperties.class, Map.of());
        this.assignment = bind("leadflow.assignment", AssignmentProperties.class, Map.of(
                "leadflow.assignment.territories.dach[0]", "sam",
                "leadflow.assignment.territories.dach[1]", "sara",
                "leadflow.assignment.territories.enterprise[0]", "sara",
                "leadflow.assignment.territories.enterprise[1]", "sam",
                "leadflow.assignment.territories.emea[0]", "sam",
                "leadflow.assignment.territories.north-america[0]", "sara",
                "leadflow.assignment.territories.rest-of-world[0]", "sam",
                "leadflow.assignment.territories.rest-of-world[1]", "sara"));
        this.leads = new LeadRepository(jdbc);
        this.breaches = new SlaBreachRepository(jdbc);
        this.opportunities = new OpportunityRepository(jdbc);

        configuration = new SpringProcessEngineConfiguration();
        configuration.setProcessEngineName(name + "-" + UUID.randomUUID());
        configuration.setDataSource(h2);
        configuration.setTransactionManager(new DataSourceTransactionManager(h2));
        configuration.setDatabaseSchemaUpdate("true");
        configuration.setJobExecutorActivate(false);
        // the app's history level (application.yaml)
        configuration.setHistory(HistoryWithoutVariableDetails.NAME);
        HistoryWithoutVariableDetails.register(configuration);
        IdCheckWithoutToString.register(configuration);
        io.leadflow.platform.CamundaInternals.NoScripts.register(configuration);
        io.leadflow.platform.CamundaInternals.NoRetriesForRefusals.register(configuration);
        io.leadflow.platform.CamundaInternals.EveryUserTask.register(configuration,
                org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_COMPLETE, new io.leadflow.security.OnlyTheAssigneeCompletes());
        io.leadflow.platform.CamundaInternals.EveryUserTask.register(configuration,
                org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_COMPLETE, new io.leadflow.sla.LateCompletion(breaches, clock, leads));
        configuration.setEnforceHistoryTimeToLive(true);
        configuration.setBeans(beans);
        // the DMN tables' FEEL engine of the app
        configuration.getProcessEnginePlugins().add(new CachingFeelEngine.Plugin());
    }

    /** The extension every process test class registers: builds the engine and checks path coverage. */
    public ProcessEngineCoverageExtension coverageExtension(String... excludedProcessKeys) {
        ProcessCoverageConfigurator.initializeProcessCoverageExtensions(configuration);
        return ProcessEngineCoverageExtension.builder(configuration)
                .assertClassCoverageAtLeast(1.0)
                .excludeProcessDefinitionKeys(excludedProcessKeys)
                .build();
    }

    /** Every model of the app, as the app deploys them. */
    static final List<String> ALL_MODELS = List.of("lead-lifecycle.bpmn", "lead-nurture.bpmn", "lead-follow-up.bpmn",
            "lead-notification.bpmn", "lead-fit.dmn", "mql-decision.dmn", "engagement-points.dmn", "lead-routing.dmn");

    /** Builds the engine, wires the delegates and deploys {@link #ALL_MODELS}: an engine of its own, as a test class needs one. */
    public ProcessEngine startWithAllModels() {
        ProcessEngine engine = configuration.buildProcessEngine();
        wire(engine);
        var deployment = engine.getRepositoryService().createDeployment().name(configuration.getProcessEngineName() + "-models");
        ALL_MODELS.forEach(model -> deployment.addClasspathResource("processes/" + model));
        deployment.deploy();
        return engine;
    }

    /** Wires the delegates once the engine exists (some need its services). */
    public void wire(ProcessEngine engine) {
        if (engagementService != null) {
            return;
        }

        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        SlaTimers timers = new SlaTimers(sla, clock);
        TransactionTemplate transactions = new TransactionTemplate(configuration.getTransactionManager());
        engagementService = new EngagementService(leads, engine.getRuntimeService(), transactions, clock);
        Suppressions suppressions = new Suppressions(jdbc, new PrivacyProperties("process-test-suppression-salt"));
        doNotContactService = new DoNotContactService(engine.getRuntimeService(), leads, suppressions, clock);
        registration = new LeadRegistration(leads, engagementService, suppressions, clock);
        ScoringTables scoringTables = new DeployedScoringTables(engine.getRepositoryService(), true);
        captureService = new LeadCaptureService(registration, engine.getRuntimeService(), engine.getRepositoryService(),
                scoringTables, new IdempotencyKeys(jdbc, clock, java.time.Duration.ofDays(7)), transactions, clock);
        beans.put("sla", timers);
        beans.put("leadTaskListener", new io.leadflow.lead.LeadTaskListener(leads));
        beans.put("leadStages", new LeadStages(leads, clock));
        beans.put("leadScores", new io.leadflow.scoring.LeadScores(leads));
        io.leadflow.assignment.AcceptanceSla acceptance = new io.leadflow.assignment.AcceptanceSla(timers);
        beans.put("salesRepOfTask", new io.leadflow.assignment.SalesRepOfTask(leads, clock, acceptance));
        beans.put("registerLeadDelegate", new RegisterLeadDelegate(leads, registration, validator));
        beans.put("scoreLeadDelegate", new ScoreLeadDelegate(leads, new LeadScorer(sla), sla, clock, scoringTables));
        NotificationProperties notificationProperties = bind("leadflow.notifications", NotificationProperties.class,
                webhookUrl == null ? Map.of() : Map.of("leadflow.notifications.webhook-url", webhookUrl));
        NotificationOutbox outbox = new NotificationOutbox(jdbc);
        Notifications notifications = new Notifications(notificationProperties, outbox, clock, leads);
        notificationBatches = new NotificationBatches(outbox, engine.getRuntimeService(), transactions, clock, 100, "PT0.5S");
        beans.put("notifications", notifications);
        beans.put("sendNotificationDelegate", new SendNotificationDelegate(notificationProperties,
                Optional.ofNullable(mailSender), RestClient.builder(), sla,
                bind("leadflow", io.leadflow.web.PublicBaseUrl.class, Map.of()), leads, outbox, clock));
        beans.put("remindAssigneeDelegate", new RemindAssigneeDelegate(notifications));
        beans.put("escalateSlaBreachDelegate", new EscalateSlaBreachDelegate(breaches, notifications, clock, leads));
        availability = new RepAvailability(jdbc, engine.getTaskService(), transactions, clock, sla);
        beans.put("recordManualAssignmentDelegate", new RecordManualAssignmentDelegate(leads, availability, clock));
        RepRotation rotation = new RepRotation(jdbc, assignment);
        rotation.seed();
        beans.put("assignSalesRepDelegate", new AssignSalesRepDelegate(rotation, leads, clock));
        reroutes = new AbsenceReroutes(jdbc, rotation, engine.getTaskService(), engine.getRuntimeService(), leads, transactions, clock,
                notifications, engine, acceptance, "PT30S");
        beans.put("applyRepAvailabilityChangeDelegate", new ApplyRepAvailabilityChangeDelegate(availability));
        beans.put("recordRejectionDelegate", new RecordRejectionDelegate(leads, clock, sla));
        beans.put("saveLeadDataDelegate", new SaveLeadDataDelegate(leads, (ScoreLeadDelegate) beans.get("scoreLeadDelegate"), clock, suppressions));
        beans.put("planAttemptDelegate", new PlanAttemptDelegate(leads, clock, sla));
        beans.put("recordAttemptDelegate", new RecordAttemptDelegate(leads, clock));
        beans.put("handOverOpportunityDelegate", new HandOverOpportunityDelegate(opportunities, leads, clock));
        beans.put("disqualifyLeadDelegate", new DisqualifyLeadDelegate(leads, clock));
        beans.put("recycleLeadDelegate", new RecycleLeadDelegate(leads, timers, clock));
        beans.put("archiveLeadDelegate", new ArchiveLeadDelegate(leads, timers, clock));
        beans.put("blacklistLeadDelegate", new BlacklistLeadDelegate(leads, suppressions, clock));
    }

    public EngagementService engagements() {
        return engagementService;
    }

    public LeadCaptureService capture() {
        return captureService;
    }

    public DoNotContactService doNotContact() {
        return doNotContactService;
    }

    public RepAvailability repAvailability() {
        return availability;
    }

    /** What every node does every half second: gives the waiting notifications to batches (their jobs send them). */
    public NotificationBatches notificationBatches() {
        return notificationBatches;
    }

    public AbsenceReroutes absenceReroutes() {
        return reroutes;
    }

    /** The bean names the models may use, for the model checks. */
    public static List<String> beanNames() {
        return List.of("sla", "leadStages", "salesRepOfTask", "notifications", "sendNotificationDelegate", "registerLeadDelegate", "scoreLeadDelegate", "remindAssigneeDelegate",
                "escalateSlaBreachDelegate", "recordManualAssignmentDelegate", "assignSalesRepDelegate", "recordRejectionDelegate", "saveLeadDataDelegate",
                "planAttemptDelegate", "recordAttemptDelegate", "handOverOpportunityDelegate", "disqualifyLeadDelegate",
                "recycleLeadDelegate", "archiveLeadDelegate", "blacklistLeadDelegate", "applyRepAvailabilityChangeDelegate");
    }

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, Bindable.of(type));
    }
}
