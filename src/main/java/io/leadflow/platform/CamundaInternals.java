package io.leadflow.platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.FeelEngineFactory;
import org.camunda.bpm.dmn.feel.impl.scala.ContextVariableWrapper;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.function.FeelCustomFunctionProvider;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.IdGenerator;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.db.PersistenceSession;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;
import org.camunda.bpm.engine.impl.history.AbstractHistoryLevel;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager;
import org.camunda.bpm.engine.impl.bpmn.behavior.MailActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.ShellActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.scripting.ExecutableScript;
import org.camunda.bpm.impl.juel.AstBracket;
import org.camunda.bpm.impl.juel.AstDot;
import org.camunda.bpm.impl.juel.AstFunction;
import org.camunda.bpm.impl.juel.AstIdentifier;
import org.camunda.bpm.impl.juel.AstMethod;
import org.camunda.bpm.impl.juel.AstProperty;
import org.camunda.bpm.impl.juel.AstString;
import org.camunda.bpm.impl.juel.AstText;
import org.camunda.bpm.impl.juel.Builder;
import org.camunda.bpm.impl.juel.Tree;
import org.camunda.bpm.impl.juel.TreeBuilderException;
import org.camunda.bpm.engine.impl.scripting.ScriptFactory;
import org.camunda.bpm.engine.impl.scripting.engine.ScriptEngineResolver;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.camunda.bpm.engine.variable.context.VariableContext;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.camunda.feel.context.Context;
import org.camunda.feel.context.CustomContext;
import org.camunda.feel.context.FunctionProvider;
import org.camunda.feel.context.VariableProvider;
import org.camunda.feel.context.VariableProvider.CompositeVariableProvider;
import org.camunda.feel.context.VariableProvider.StaticVariableProvider;
import org.camunda.feel.impl.interpreter.BuiltinFunctions;
import org.camunda.feel.impl.interpreter.EvalContext;
import org.camunda.feel.impl.interpreter.FeelInterpreter;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.camunda.feel.syntaxtree.Val;
import org.camunda.feel.syntaxtree.ValError;
import org.camunda.feel.syntaxtree.ValFatalError;
import org.camunda.feel.valuemapper.ValueMapper;

import camundajar.impl.scala.collection.immutable.Map.Map1;
import camundajar.impl.scala.runtime.BoxesRunTime;
import camundajar.impl.scala.util.Either;
import camundajar.impl.scala.util.Right;

/**
 * Everything leadflow takes from Camunda's internal packages, in one file. The rule: the app uses
 * the public Camunda engine API only, except here. An internal package is any with {@code impl} in
 * its name ({@code org.camunda.bpm.engine.impl}, {@code org.camunda.bpm.dmn.*.impl},
 * {@code org.camunda.bpm.webapp.impl}, {@code org.camunda.bpm.engine.rest.*.impl},
 * {@code org.camunda.feel.impl}, the Scala library shaded as {@code camundajar.impl}): Camunda may
 * change them in any release, patch releases too, and the Operaton fork may change them on its own.
 * Moving to Operaton or to another Camunda release is therefore checked in this one file, with the
 * tests named below; the classes that use what is here ({@link HistoryWithoutVariableDetails},
 * {@link NodeUniqueIds}, {@code sla.EngineClock}, {@code security.CamundaWebappSession},
 * {@code security.EngineRestAuthentication}, {@link EngineExtensionsConfiguration},
 * {@link FeelEngineConfiguration}, {@code scoring.DeployedScoringTables}) see only public types and
 * the nested classes of this one. {@code CamundaInternalsOnlyTest} fails when any other file under
 * {@code src/main/java} imports or names an internal package. (Tests may use internals directly.)
 *
 * <p>What it wraps, and why each needs the internals:
 * <ul>
 * <li><b>The engine clock</b> ({@link #engineNow}, {@link #moveEngineClock}, {@link #resetEngineClock};
 *     used by {@code sla.EngineClock}): timers fall due by {@code impl.util.ClockUtil}, and the engine
 *     has no public API for its clock. {@code EngineClockTest}.</li>
 * <li><b>The engine's ids</b> ({@link NodeUniqueIdGenerator}): the engine's and the Spring Boot
 *     starter's extension point for ids is {@code impl.cfg.IdGenerator} (a bean of that type replaces
 *     the starter's default); the ids themselves are made by {@link NodeUniqueIds}.
 *     {@code NodeUniqueIdsTest}, {@code EngineExtensionsConfigurationTest}.</li>
 * <li><b>Process engine plugins</b> (the {@code Plugin} classes below): the plugin interface, its base
 *     class and the configuration they change ({@code impl.cfg.ProcessEnginePlugin},
 *     {@code AbstractProcessEnginePlugin}, {@code ProcessEngineConfigurationImpl}) are internal, and
 *     the starter picks plugins up as beans of that type. Their beans are declared in
 *     {@link EngineExtensionsConfiguration} and {@link FeelEngineConfiguration} with these classes as
 *     their types; engines built without Spring get them through the {@code register} methods.</li>
 * <li><b>leadflow's history level</b> ({@link HistoryLevelWithoutVariableDetails}; name, id and the
 *     switch of the recorded level in {@link HistoryWithoutVariableDetails}): a custom history level
 *     extends {@code impl.history.AbstractHistoryLevel} and decides on
 *     {@code impl.history.event.HistoryEventTypes}, the engine's documented extension point for
 *     history levels. {@code HistoryWithoutVariableDetailsTest}.</li>
 * <li><b>The id check of every insert</b> ({@link IdCheckWithoutToString}): replaces the engine's
 *     entity manager ({@code impl.db.entitymanager.DbEntityManager}) through its session factories
 *     ({@code impl.interceptor}, {@code impl.context}). {@code IdCheckWithoutToStringTest}.</li>
 * <li><b>The authorization checks' groups</b> ({@link AuthorizationsWithoutGroupScan}): replaces the
 *     engine's authorization manager ({@code impl.persistence.entity.AuthorizationManager}) through its
 *     session factories, so a command does not read the whole authorization table to narrow the user's
 *     groups. {@code AuthorizationsWithoutGroupScanTest}.</li>
 * <li><b>The DMN tables' FEEL engine</b> ({@link CachingFeelEngine}): subclasses the DMN engine's
 *     {@code ScalaFeelEngine} and sets it through {@code DefaultDmnEngineConfiguration} (the FEEL SPI
 *     is in {@code org.camunda.bpm.dmn.feel.impl}), and evaluates with feel-scala's interpreter
 *     ({@code org.camunda.feel.impl.interpreter}) and the Scala library Camunda shades into
 *     {@code camundajar.impl}. {@code CachingFeelEngineTest}, {@code FeelEngineConfigurationTest}.</li>
 * <li><b>Expressions as the engine parses them</b> ({@link Juel}; used by {@code modeling.ModelExpressions}): the
 *     engine's JUEL parser and its tree are in {@code org.camunda.bpm.impl.juel}. {@code ModelExpressionsTest}.</li>
 * <li><b>No scripts</b> ({@link NoScripts}): the engine's script factory and script engine resolver
 *     ({@code impl.scripting}) are the only places every script passes, in BPMN and DMN alike.
 *     {@code NoScriptsTest}.</li>
 * <li><b>The webapps' session</b> ({@link WebappLogins}; used by {@code security.CamundaWebappSession}):
 *     Cockpit's and Tasklist's login is kept in {@code org.camunda.bpm.webapp.impl.security.auth},
 *     which no public API exposes. {@code CamundaWebappSessionTest}, {@code WebappSessionApiTest}.</li>
 * <li><b>{@code /engine-rest}'s HTTP Basic login</b> ({@link #REST_BASIC_AUTHENTICATION_PROVIDER}; used by
 *     {@code security.EngineRestAuthentication}): the REST API's authentication filter takes the
 *     provider by class name, and Camunda's provider is in {@code engine.rest.security.auth.impl}.
 *     Named through the class here, so a rename fails the build instead of the start.</li>
 * </ul>
 */
public final class CamundaInternals {

    private CamundaInternals() {
    }

    // ---------------------------------------------------------------------------------------------
    // the engine clock

    /** The engine's "now" ({@code ClockUtil}): the wall clock unless moved. */
    public static Instant engineNow() {
        return ClockUtil.getCurrentTime().toInstant();
    }

    /** Moves the engine clock (JVM-wide) to {@code time}. */
    public static void moveEngineClock(Instant time) {
        ClockUtil.setCurrentTime(Date.from(time));
    }

    /** The engine clock back to the wall clock. */
    public static void resetEngineClock() {
        ClockUtil.reset();
    }

    /**
     * The most rows an authenticated query may ask for ({@code queryMaxResultsLimit}; {@code
     * Integer.MAX_VALUE}: no limit), a setting of the engine's configuration that its public API does not show.
     */
    public static int queryMaxResultsLimit(ProcessEngine engine) {
        return ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getQueryMaxResultsLimit();
    }

    /**
     * Stops the engine's job acquisition: no job is fetched any more, those handed to the job threads
     * finish (their executor is Spring's, stopped after). The engine's own stop comes after Spring's
     * executor has waited for the running jobs, so without this the acquisition kept handing it due
     * timers until the wait ran out (30 s), then the connection pool closed under them. No job executor, or
     * one stopped already: nothing. Whether this call stopped it.
     */
    public static boolean stopJobAcquisition(ProcessEngine engine) {
        var jobs = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
        if (jobs != null && jobs.isActive()) {
            jobs.shutdown();
            return true;
        }
        return false;
    }

    /** Whether the engine's job executor acquires jobs. */
    public static boolean acquiresJobs(ProcessEngine engine) {
        var jobs = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
        return jobs != null && jobs.isActive();
    }

    // ---------------------------------------------------------------------------------------------
    // /engine-rest's HTTP Basic login

    /** The class name of Camunda's HTTP Basic provider for the REST API's authentication filter. */
    public static final String REST_BASIC_AUTHENTICATION_PROVIDER = HttpBasicAuthenticationProvider.class.getName();

    // ---------------------------------------------------------------------------------------------
    // the engine's ids

    /**
     * The engine's id generator, handing out {@link NodeUniqueIds}'s ids. As a bean of this type it
     * replaces the Camunda starter's default generator (the starter's own is conditional on a missing
     * {@code IdGenerator} bean, and its configuration takes the one there is).
     */
    public static final class NodeUniqueIdGenerator implements IdGenerator {

        private final NodeUniqueIds ids;

        public NodeUniqueIdGenerator(NodeUniqueIds ids) {
            this.ids = ids;
        }

        @Override
        public String getNextId() {
            return ids.nextId();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // leadflow's history level

    /**
     * {@link HistoryWithoutVariableDetails} as the engine's history level: everything Camunda's
     * {@code full} produces except the variable details and form property updates.
     */
    public static final class HistoryLevelWithoutVariableDetails extends AbstractHistoryLevel {

        public static final HistoryLevelWithoutVariableDetails LEVEL = new HistoryLevelWithoutVariableDetails();

        private HistoryLevelWithoutVariableDetails() {
        }

        @Override
        public int getId() {
            return HistoryWithoutVariableDetails.ID;
        }

        @Override
        public String getName() {
            return HistoryWithoutVariableDetails.NAME;
        }

        @Override
        public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
            return eventType != HistoryEventTypes.VARIABLE_INSTANCE_UPDATE_DETAIL
                    && eventType != HistoryEventTypes.FORM_PROPERTY_UPDATE;
        }

        /** Registers the {@link Plugin} with an engine built without Spring (the level is then chosen by its name). */
        public static void register(ProcessEngineConfiguration configuration) {
            addPlugin(configuration, new Plugin());
        }

        /**
         * Registers the level with the engine (picked up by the Camunda starter as a bean; {@link #register}
         * for an engine built without Spring), and, before the engine checks the database, moves a
         * database recorded at {@code full} to this level and back
         * ({@link HistoryWithoutVariableDetails#switchRecordedLevel}).
         */
        public static class Plugin extends AbstractProcessEnginePlugin {

            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                List<HistoryLevel> custom = configuration.getCustomHistoryLevels() == null
                        ? new ArrayList<>() : new ArrayList<>(configuration.getCustomHistoryLevels());
                if (!custom.contains(LEVEL)) {
                    custom.add(LEVEL);
                }
                configuration.setCustomHistoryLevels(custom);
            }

            @Override
            public void postInit(ProcessEngineConfigurationImpl configuration) {
                HistoryLevel configured = configuration.getHistoryLevel();
                if (configured == null) {
                    return; // "auto": the engine takes what the database says
                }
                if (configured.equals(LEVEL)) {
                    switchRecordedLevel(configuration, HistoryLevel.HISTORY_LEVEL_FULL, LEVEL);
                } else if (configured.equals(HistoryLevel.HISTORY_LEVEL_FULL)) {
                    switchRecordedLevel(configuration, LEVEL, HistoryLevel.HISTORY_LEVEL_FULL);
                }
            }

            private static void switchRecordedLevel(ProcessEngineConfigurationImpl configuration, HistoryLevel from,
                                                    HistoryLevel to) {
                HistoryWithoutVariableDetails.switchRecordedLevel(configuration.getDataSource(),
                        configuration.getDatabaseTablePrefix(), from.getId(), from.getName(), to.getId(), to.getName());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the id check of every insert

    /**
     * A text's expressions as the engine's JUEL parser reads them ({@code org.camunda.bpm.impl.juel},
     * with the engine's features: method invocations and varargs), as a tree of leadflow's own
     * {@link Element}s. The deployment check judges this tree, not a reading of its own: a scanner
     * of its own was led by an escaped {@code \${} or a Unicode space before a dot to read another
     * expression than the engine then ran.
     */
    public static final class Juel {

        /** What a node of an expression is. */
        public enum Kind { TEXT, IDENTIFIER, PROPERTY, BRACKET, METHOD, FUNCTION, STRING, OTHER }

        /**
         * A node: a method call's {@code name} is the method's and its children the object called and
         * then the arguments; a property's {@code name} the property's and its child the object; an
         * identifier's or a function's {@code name} its own; a string's {@code value} the string.
         */
        public record Element(Kind kind, String name, String value, List<Element> children) {
        }

        private static final Builder PARSER = new Builder(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);

        private Juel() {
        }

        /** The text's tree (literal text and expressions); IllegalArgumentException with the parser's words when it cannot be read. */
        public static Element parse(String text) {
            Tree tree;
            try {
                tree = PARSER.build(text);
            } catch (TreeBuilderException unreadable) {
                throw new IllegalArgumentException(unreadable.getMessage(), unreadable);
            }
            return element(tree.getRoot());
        }

        private static Element element(org.camunda.bpm.impl.juel.Node node) {
            if (node instanceof AstMethod method) {
                AstProperty property = (AstProperty) method.getChild(0);
                List<Element> children = new ArrayList<>();
                children.add(element(property.getChild(0)));
                org.camunda.bpm.impl.juel.Node parameters = method.getChild(1);
                for (int i = 0; i < parameters.getCardinality(); i++) {
                    children.add(element(parameters.getChild(i)));
                }
                return property instanceof AstDot dot ? new Element(Kind.METHOD, name(dot), null, children)
                        : new Element(Kind.BRACKET, null, null, children);
            }
            if (node instanceof AstDot dot) {
                return new Element(Kind.PROPERTY, name(dot), null, List.of(element(dot.getChild(0))));
            }
            if (node instanceof AstIdentifier identifier) {
                return new Element(Kind.IDENTIFIER, identifier.getName(), null, List.of());
            }
            if (node instanceof AstString string) {
                return new Element(Kind.STRING, null, String.valueOf(string.eval(null, null)), List.of());
            }
            if (node instanceof AstText text) {
                return new Element(Kind.TEXT, null, text.toString(), List.of());
            }
            List<Element> children = new ArrayList<>();
            for (int i = 0; i < node.getCardinality(); i++) {
                children.add(element(node.getChild(i)));
            }
            if (node instanceof AstBracket) {
                return new Element(Kind.BRACKET, null, null, children);
            }
            if (node instanceof AstFunction function) {
                return new Element(Kind.FUNCTION, function.getName(), null, children);
            }
            return new Element(Kind.OTHER, null, null, children);
        }

        /** The property an {@code a.b} names (its {@code toString()} is ". b"). */
        private static String name(AstDot dot) {
            return dot.toString().replaceFirst("^\\.\\s*", "");
        }
    }

    /**
     * The engine runs no scripts: no script task, no condition or listener in a script language (also
     * FEEL as a JSR-223 script, which reaches every Java method of the execution it is given), no
     * decision in JavaScript or Groovy. The deployment check refuses them in a model; this is the
     * engine's own refusal behind it, for whatever the check does not read. Parsing a script fails the
     * deployment ({@link Refusing} as the engine's script factory) and evaluating one fails the step
     * (the script engine resolver, which BPMN and DMN both ask, knows no language).
     */
    /**
     * A task listener on one event of every user task of every model, whatever its model says: the
     * engine's own user task behaviour holds it next to the model's listeners, so no deployment can
     * leave it out.
     */
    public static final class EveryUserTask {

        private EveryUserTask() {
        }

        /** Registers the {@link Plugin} with an engine built without Spring. */
        public static void register(ProcessEngineConfiguration configuration, String event, org.camunda.bpm.engine.delegate.TaskListener listener) {
            addPlugin(configuration, new Plugin(event, listener));
        }

        public static class Plugin extends AbstractProcessEnginePlugin {

            private final String event;
            private final org.camunda.bpm.engine.delegate.TaskListener listener;

            public Plugin(String event, org.camunda.bpm.engine.delegate.TaskListener listener) {
                this.event = event;
                this.listener = listener;
            }

            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
                        ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
                listeners.add(new AbstractBpmnParseListener() {
                    @Override
                    public void parseUserTask(org.camunda.bpm.engine.impl.util.xml.Element element, ScopeImpl scope, ActivityImpl activity) {
                        if (activity.getActivityBehavior() instanceof org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior task) {
                            task.getTaskDefinition().addBuiltInTaskListener(event, listener);
                        }
                    }
                });
                configuration.setCustomPostBPMNParseListeners(listeners);
            }
        }
    }

    /**
     * A job whose failure is {@link NotRetryable} (anywhere in its causes) gets no retries left: the
     * engine's failed-job handling runs as always (exception, job log, the retry cycle's bookkeeping),
     * then the retries go to 0, which raises the incident. Other failures keep the model's retry cycle.
     */
    public static final class NoRetriesForRefusals {

        private NoRetriesForRefusals() {
        }

        /** Registers the {@link Plugin} with an engine built without Spring. */
        public static void register(ProcessEngineConfiguration configuration) {
            addPlugin(configuration, new Plugin());
        }

        static boolean refused(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof NotRetryable) {
                    return true;
                }
            }
            return false;
        }

        public static class Plugin extends AbstractProcessEnginePlugin {

            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                configuration.setFailedJobCommandFactory((jobId, failure) -> new org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd(jobId, failure) {
                    @Override
                    public Object execute(org.camunda.bpm.engine.impl.interceptor.CommandContext context) {
                        Object result = super.execute(context);
                        if (refused(exception)) {
                            var job = getJob();
                            if (job != null && job.getRetries() > 0) {
                                job.setRetries(0);
                            }
                        }
                        return result;
                    }
                });
            }
        }
    }

    /**
     * Jobs the job threads' pool turns away (its queue full, as in every wave of timers) run in the
     * acquisition thread at once. The engine's default keeps them, locked, to hand over at its next
     * acquisition; a node asked to stop then stopped its acquisition with them still locked, and they
     * (with every other timer of their leads) waited out the lock time, 5 minutes, before another node
     * ran them. Run here, a turned-away job is done or, once the node stops, unlocked like the pool's.
     */
    public static final class RejectedJobsRunHere {

        private RejectedJobsRunHere() {
        }

        /** Registers the {@link Plugin} with an engine built without Spring. */
        public static void register(ProcessEngineConfiguration configuration) {
            addPlugin(configuration, new Plugin());
        }

        public static class Plugin extends AbstractProcessEnginePlugin {

            @Override
            public void postInit(ProcessEngineConfigurationImpl configuration) {
                if (configuration.getJobExecutor() != null) {
                    configuration.getJobExecutor().setRejectedJobsHandler(
                            new org.camunda.bpm.engine.impl.jobexecutor.CallerRunsRejectedJobsHandler());
                }
            }
        }
    }

    public static final class NoScripts {

        static final String REFUSAL = "leadflow runs no scripts: models call the app's beans by expression";

        private NoScripts() {
        }

        /** Registers the {@link Plugin} with an engine built without Spring. */
        public static void register(ProcessEngineConfiguration configuration) {
            addPlugin(configuration, new Plugin());
        }

        public static class Plugin extends AbstractProcessEnginePlugin {

            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                configuration.setScriptFactory(new Refusing());
                configuration.setScriptEngineResolver(new NoLanguages());
                List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
                        ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
                listeners.add(new NoShellNorMail());
                configuration.setCustomPostBPMNParseListeners(listeners);
            }
        }

        /**
         * A task of the engine's built-in types {@code shell} and {@code mail} is not deployed: the
         * first runs any command of the host as the app's user, the second writes to any address.
         */
        public static final class NoShellNorMail extends AbstractBpmnParseListener {

            @Override
            public void parseServiceTask(org.camunda.bpm.engine.impl.util.xml.Element element, ScopeImpl scope, ActivityImpl activity) {
                refuse(activity);
            }

            @Override
            public void parseSendTask(org.camunda.bpm.engine.impl.util.xml.Element element, ScopeImpl scope, ActivityImpl activity) {
                refuse(activity);
            }

            @Override
            public void parseBusinessRuleTask(org.camunda.bpm.engine.impl.util.xml.Element element, ScopeImpl scope, ActivityImpl activity) {
                refuse(activity);
            }

            private static void refuse(ActivityImpl activity) {
                if (activity.getActivityBehavior() instanceof ShellActivityBehavior || activity.getActivityBehavior() instanceof MailActivityBehavior) {
                    throw new ProcessEngineException("leadflow runs no shell commands and sends no mail from a model: task "
                            + activity.getId() + " is of such a type");
                }
            }
        }

        /** The engine's script factory, refusing every script it would make from a model. */
        public static final class Refusing extends ScriptFactory {

            @Override
            public ExecutableScript createScriptFromResource(String language, String resource) {
                throw refusal(language);
            }

            @Override
            public ExecutableScript createScriptFromResource(String language, Expression resourceExpression) {
                throw refusal(language);
            }

            @Override
            public ExecutableScript createScriptFromSource(String language, String source) {
                throw refusal(language);
            }

            @Override
            public ExecutableScript createScriptFromSource(String language, Expression sourceExpression) {
                throw refusal(language);
            }
        }

        /** A script engine resolver that has no script engine for any language. */
        public static final class NoLanguages implements ScriptEngineResolver {

            private final ScriptEngineManager none = new ScriptEngineManager(null);

            @Override
            public void addScriptEngineFactory(ScriptEngineFactory factory) {
                // none is added: leadflow runs no scripts
            }

            @Override
            public ScriptEngineManager getScriptEngineManager() {
                return none;
            }

            @Override
            public ScriptEngine getScriptEngine(String language, boolean resolveFromCache) {
                throw refusal(language);
            }
        }

        static ProcessEngineException refusal(String language) {
            return new ProcessEngineException(REFUSAL + " (a script in language '" + language + "' was refused)");
        }
    }

    /**
     * The engine's entity manager without describing every row it inserts. Camunda 7.24's
     * {@code DbEntityManager.insert} checks each new entity's id with a message it builds before the
     * check, {@code "Entity " + entity + " has an invalid id"}: the entity's {@code toString()}, every
     * field with its dates formatted, for every row the engine inserts, thrown away unless the id is
     * {@code null} or {@code "*"}. In a JFR profile of the CSV import that was 7.3 % of the import
     * threads' CPU (docs/BENCHMARKS.md, seventh run).
     * <p>
     * {@link Manager} makes the same check and, only when it fails, calls the engine's own, which builds
     * the engine's message and throws the engine's exception: the outcome of every insert is unchanged.
     * The {@link Plugin} (a bean, picked up by the Camunda starter) or {@link #register} (engines built
     * without Spring) puts its {@link Factory} in place of the engine's entity manager factory.
     */
    public static final class IdCheckWithoutToString {

        private IdCheckWithoutToString() {
        }

        /** Registers the {@link Plugin} with an engine built without Spring, as {@code HistoryWithoutVariableDetails.register} does. */
        public static void register(ProcessEngineConfiguration configuration) {
            addPlugin(configuration, new Plugin());
        }

        /** Registers the {@link Factory} before the engine builds its session factories. */
        public static class Plugin extends AbstractProcessEnginePlugin {

            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                addSessionFactory(configuration, new Factory(configuration));
            }
        }

        /** Opens a {@link Manager} wherever the engine would open its own entity manager. */
        public static final class Factory implements SessionFactory {

            private final ProcessEngineConfigurationImpl configuration;

            Factory(ProcessEngineConfigurationImpl configuration) {
                this.configuration = configuration;
            }

            @Override
            public Class<?> getSessionType() {
                return DbEntityManager.class;
            }

            @Override
            public Session openSession() {
                // as the engine's DbEntityManagerFactory does; the id generator is read now, once the engine has set it up
                return new Manager(configuration.getIdGenerator(), org.camunda.bpm.engine.impl.context.Context
                        .getCommandContext().getSession(PersistenceSession.class));
            }
        }

        /** The engine's entity manager; only the id check differs, and only in when it describes the entity. */
        public static final class Manager extends DbEntityManager {

            Manager(IdGenerator idGenerator, PersistenceSession persistenceSession) {
                super(idGenerator, persistenceSession);
            }

            @Override
            protected void validateId(DbEntity entity) {
                String id = entity.getId();
                if (id == null || "*".equals(id)) {
                    super.validateId(entity);
                }
            }
        }
    }

    /** Adds {@code plugin} to an engine built without Spring (the Camunda starter takes the plugins that are beans). */
    static void addPlugin(ProcessEngineConfiguration configuration, AbstractProcessEnginePlugin plugin) {
        ((ProcessEngineConfigurationImpl) configuration).getProcessEnginePlugins().add(plugin);
    }

    /**
     * Adds {@code factory} to the engine's custom session factories, which the engine registers after
     * its own, so it takes the place of the engine's factory for the same session type.
     */
    static void addSessionFactory(ProcessEngineConfigurationImpl configuration, SessionFactory factory) {
        List<SessionFactory> factories = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomSessionFactories());
        factories.add(factory);
        configuration.setCustomSessionFactories(factories);
    }

    // ---------------------------------------------------------------------------------------------
    // the authorization checks' groups

    /**
     * The engine's authorization manager without its scan of the whole authorization table in every
     * command. Camunda 7.24's {@code AuthorizationManager.filterAuthenticatedGroupIds} narrows the
     * logged-in user's groups to those that hold any authorization at all, and finds those with
     * {@code SELECT distinct(A.GROUP_ID_) FROM ACT_RU_AUTHORIZATION A}: once in every command that checks
     * authorizations (five per Tasklist page), over every row of the table, the historic tasks' grants
     * that stay for the history's 365 days among them (camunda-bpm-platform issue 5485; the engine has
     * no setting for it). At 600,000 grants, about a year of tasks, each scan took 24–38 ms on a quiet
     * machine, and a rep alone waited 0.25–0.40 s for a Tasklist page (docs/BENCHMARKS.md, sixteenth run).
     * <p>
     * {@link Manager} hands the user's groups to the checks as they are, without duplicates and
     * {@code null}s. A group that holds no authorization matches no row of the checks'
     * {@code GROUP_ID_ IN (…)}, so every check answers as the engine's own does: only the list can be
     * longer, by groups of the user that hold no grant (leadflow's users belong to a few groups each).
     * {@code AuthorizationsWithoutGroupScanTest} holds both engines to the same answers.
     * The {@link Plugin} (a bean, picked up by the Camunda starter; {@code
     * leadflow.authorizations.skip-group-scan=false} leaves the engine's own) or {@link #register}
     * (engines built without Spring) puts its {@link Factory} in place of the engine's.
     */
    public static final class AuthorizationsWithoutGroupScan {

        private AuthorizationsWithoutGroupScan() {
        }

        /** Registers the {@link Plugin} with an engine built without Spring, as {@code HistoryWithoutVariableDetails.register} does. */
        public static void register(ProcessEngineConfiguration configuration) {
            addPlugin(configuration, new Plugin());
        }

        /** Registers the {@link Factory} before the engine builds its session factories. */
        public static class Plugin extends AbstractProcessEnginePlugin {

            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                addSessionFactory(configuration, new Factory());
            }
        }

        /** Opens a {@link Manager} wherever the engine would open its own authorization manager. */
        public static final class Factory implements SessionFactory {

            @Override
            public Class<?> getSessionType() {
                return AuthorizationManager.class;
            }

            @Override
            public Session openSession() {
                return new Manager();
            }
        }

        /** The engine's authorization manager; only which of the user's groups its checks name differs. */
        public static final class Manager extends AuthorizationManager {

            @Override
            public List<String> filterAuthenticatedGroupIds(List<String> authenticatedGroupIds) {
                if (authenticatedGroupIds == null || authenticatedGroupIds.isEmpty()) {
                    return super.filterAuthenticatedGroupIds(authenticatedGroupIds); // the engine's empty list, no query
                }
                LinkedHashSet<String> groups = new LinkedHashSet<>(authenticatedGroupIds);
                groups.remove(null);
                return new ArrayList<>(groups);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the DMN tables' FEEL engine

    /**
     * The DMN tables' FEEL engine (the engine's own, feel-engine 1.19.3 behind Camunda's
     * {@link ScalaFeelEngine}), without its two per-evaluation costs: it parsed every expression again
     * on every evaluation, and built its table of built-in functions again for every evaluation
     * (feel-scala's {@code FeelEngine.rootContext()}, fixed upstream in 1.19.5, which is not on Maven
     * Central yet). Here each expression text is parsed once and the built-in functions are built once;
     * every evaluation still gets a fresh context with its own failure collector, as in 1.19.5. The
     * tables keep FEEL, so they read and edit in Modeler as before.
     *
     * <p>Only successful evaluations without any (suppressed) failure take the fast path. Anything else
     * — a parse error, an error value, an assertion, a suppressed failure such as a comparison with
     * null — is evaluated again by {@link ScalaFeelEngine} itself, so results and error messages stay
     * exactly the engine's. {@code CachingFeelEngineTest} holds it to the engine's answers.
     */
    public static class CachingFeelEngine extends ScalaFeelEngine {

        /** Expressions come from deployed tables; a bound keeps redeploys from growing the cache forever. */
        static final int MAX_CACHED_EXPRESSIONS = 10_000;

        private final ValueMapper valueMapper;
        private final FeelInterpreter interpreter;
        private final EvalContext root;
        private final Map<String, ParsedExpression> expressions = new ConcurrentHashMap<>();
        private final Map<String, ParsedExpression> unaryTests = new ConcurrentHashMap<>();
        private final LongAdder answeredHere = new LongAdder();

        public CachingFeelEngine(List<FeelCustomFunctionProvider> functionProviders) {
            super(functionProviders == null ? new ArrayList<>() : functionProviders);
            valueMapper = feelEngine.valueMapper();
            interpreter = new FeelInterpreter(valueMapper);
            root = EvalContext.create(valueMapper, new FunctionProvider.CompositeFunctionProvider(
                    toScalaList(new BuiltinFunctions(feelEngine.clock(), valueMapper), feelEngine.functionProvider())));
        }

        @Override
        public <T> T evaluateSimpleExpression(String expression, VariableContext variableContext) {
            ParsedExpression parsed = parsed(expressions, expression, feelEngine::parseExpression);
            if (parsed != null) {
                CustomContext context = new CustomContext() {
                    @Override
                    public VariableProvider variableProvider() {
                        return new ContextVariableWrapper(variableContext);
                    }
                };
                Object[] result = evaluate(parsed, context);
                if (result != null) {
                    @SuppressWarnings("unchecked")
                    T value = (T) result[0];
                    return value;
                }
            }
            return super.evaluateSimpleExpression(expression, variableContext);
        }

        @Override
        public boolean evaluateSimpleUnaryTests(String expression, String inputVariable, VariableContext variableContext) {
            ParsedExpression parsed = parsed(unaryTests, expression, feelEngine::parseUnaryTests);
            if (parsed != null) {
                StaticVariableProvider input = new StaticVariableProvider(new Map1<>(INPUT_VARIABLE_NAME, inputVariable));
                ContextVariableWrapper variables = new ContextVariableWrapper(variableContext);
                CustomContext context = new CustomContext() {
                    @Override
                    public VariableProvider variableProvider() {
                        return new CompositeVariableProvider(toScalaList(input, variables));
                    }
                };
                Object[] result = evaluate(parsed, context);
                if (result != null) {
                    return BoxesRunTime.unboxToBoolean(result[0]);
                }
            }
            return super.evaluateSimpleUnaryTests(expression, inputVariable, variableContext);
        }

        /** The parsed expression, or null when it does not parse (the engine then reports it). */
        private static ParsedExpression parsed(Map<String, ParsedExpression> cache, String expression,
                                               Function<String, Either<?, ParsedExpression>> parser) {
            ParsedExpression parsed = cache.get(expression);
            if (parsed != null) {
                return parsed;
            }
            Either<?, ParsedExpression> result = parser.apply(expression);
            if (!(result instanceof Right<?, ParsedExpression> right)) {
                return null;
            }
            if (cache.size() >= MAX_CACHED_EXPRESSIONS) {
                cache.clear();
            }
            cache.put(expression, right.value());
            return right.value();
        }

        /**
         * feel-engine's own evaluation (1.19.5's root context), for a result without failures only:
         * a one-element array with the value, or null to let the engine evaluate and report it.
         */
        private Object[] evaluate(ParsedExpression parsed, Context context) {
            try {
                EvalContext evalContext = EvalContext.empty(valueMapper).merge(root).merge(context);
                Val value = interpreter.eval(parsed.expression(), evalContext);
                if (value instanceof ValError || value instanceof ValFatalError || !evalContext.failureCollector().failures().isEmpty()) {
                    return null;
                }
                Object[] answer = {valueMapper.unpackVal(value)};
                answeredHere.increment();
                return answer;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** How many evaluations took the fast path (a cached parse, the shared built-in functions), for the tests. */
        long answeredHere() {
            return answeredHere.sum();
        }

        /** Creates the engine for the DMN engine's configuration. */
        public record Factory(List<FeelCustomFunctionProvider> functionProviders) implements FeelEngineFactory {
            @Override
            public FeelEngine createInstance() {
                return new CachingFeelEngine(functionProviders);
            }
        }

        /**
         * A DMN engine of its own (no history, no process engine) with the FEEL the process engine uses:
         * this one, or with {@code caching} false the engine's default.
         */
        public static DmnEngine dmnEngine(boolean caching) {
            DefaultDmnEngineConfiguration dmn = (DefaultDmnEngineConfiguration) DefaultDmnEngineConfiguration.createDefaultDmnEngineConfiguration();
            if (caching) {
                dmn.setFeelEngineFactory(new Factory(new ArrayList<>()));
            }
            return dmn.buildEngine();
        }

        /** Puts this FEEL engine into a process engine's DMN engine (before the engine builds it). */
        public static class Plugin extends AbstractProcessEnginePlugin {
            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                DefaultDmnEngineConfiguration dmn = configuration.getDmnEngineConfiguration() != null
                        ? configuration.getDmnEngineConfiguration()
                        : (DefaultDmnEngineConfiguration) DefaultDmnEngineConfiguration.createDefaultDmnEngineConfiguration();
                dmn.setFeelEngineFactory(new Factory(configuration.getDmnFeelCustomFunctionProviders()));
                configuration.setDmnEngineConfiguration(dmn);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the webapps' session

    /**
     * The Camunda webapps' logins held in one HTTP session (Camunda's {@code Authentications}), with
     * Camunda's own methods to read them from the session, check them again and write them back.
     */
    public static final class WebappLogins {

        private final Authentications authentications;

        private WebappLogins(Authentications authentications) {
            this.authentications = authentications;
        }

        /** The logins the webapps keep in {@code session}, or null when it holds none. */
        public static WebappLogins in(HttpSession session) {
            Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
            return authentications == null ? null : new WebappLogins(authentications);
        }

        /** Whether someone is logged into the engine {@code engine} (a user or otherwise). */
        public boolean hasLoginTo(String engine) {
            return authentications.hasAuthenticationForProcessEngine(engine);
        }

        /**
         * What the webapps' authentication filter does on every request: checks again, under the
         * session's lock, each login whose last check is older than {@code cacheTimeToLive}
         * milliseconds against the engine's users (a deleted user is logged out, the others' groups
         * read anew), then writes the result back so that a replicated session sees it too.
         */
        public void checkAgainIfDue(HttpSession session, long cacheTimeToLive) {
            AuthenticationUtil.updateCache(authentications, session, cacheTimeToLive);
            AuthenticationUtil.updateSession(session, authentications);
        }

        /** The user logged into {@code engine}, or null when no user is. */
        public UserLogin user(String engine) {
            if (!(authentications.getAuthenticationForProcessEngine(engine) instanceof UserAuthentication user)) {
                return null;
            }
            return new UserLogin(user.getName(), user.getGroupIds());
        }

        /** A user's login: their id and their groups as the session holds them (null when it holds none). */
        public record UserLogin(String userId, List<String> groupIds) {
        }
    }
}
