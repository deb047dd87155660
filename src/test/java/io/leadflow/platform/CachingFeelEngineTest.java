package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngine;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.context.VariableContext;
import org.junit.jupiter.api.Test;

import io.leadflow.platform.CamundaInternals.CachingFeelEngine;

/**
 * The caching FEEL engine answers exactly as the engine's own: the same decisions for every table
 * of {@code processes/}, the same values and the same errors for single expressions, also when many
 * threads evaluate at once.
 */
class CachingFeelEngineTest {

    static final List<String> INDUSTRIES = Arrays.asList("software", "saas", "manufacturing", "retail", "mining", "", null);
    static final List<Integer> SIZES = Arrays.asList(null, 9, 10, 49, 50, 199, 200, 999, 1000, 5000, 5001);
    static final List<String> ROLES = Arrays.asList("executive", "manager", "practitioner", "student", null);
    static final List<String> COUNTRIES = Arrays.asList("DE", "GB", "US", "BR", "de", null);

    final DmnEngine engines = dmnEngine(new DefaultDmnEngineConfiguration());
    final DmnEngine caching = dmnEngine(new DefaultDmnEngineConfiguration()
            .feelEngineFactory(new CachingFeelEngine.Factory(new ArrayList<>())));

    @Test
    void everyTableOfTheModels_decidesAsTheEnginesFeel_forEveryCombinationOfInputs() throws Exception {
        int evaluations = 0;
        for (Path file : dmnFiles()) {
            for (DmnDecision decision : parse(engines, file)) {
                DmnDecision cached = parse(caching, file).stream().filter(d -> d.getKey().equals(decision.getKey())).findFirst().orElseThrow();
                for (Map<String, Object> inputs : inputs()) {
                    assertThat(outcome(caching, cached, inputs)).as("%s with %s", decision.getKey(), inputs)
                            .isEqualTo(outcome(engines, decision, inputs));
                    evaluations++;
                }
            }
        }
        assertThat(evaluations).as("decisions × inputs compared").isGreaterThan(10_000);
    }

    @Test
    void singleExpressions_giveTheEnginesValuesAndErrors() {
        FeelEngine engine = new ScalaFeelEngine(new ArrayList<>());
        FeelEngine cachingEngine = new CachingFeelEngine(new ArrayList<>());
        VariableContext variables = Variables.createVariables().putValue("leadScore", 70).putValue("mqlThreshold", 60)
                .putValue("fitGrade", "B").putValue("nothing", null).asVariableContext();
        for (String expression : List.of("leadScore >= mqlThreshold", "fitGrade", "15", "\"Industry is core ICP\"",
                "nothing", "nothing >= 3", "missing", "leadScore >", "string length(fitGrade) + count([1,2,3])",
                "date(\"2026-11-26\") + duration(\"P1D\")", "assert(leadScore, leadScore < 0)")) {
            for (int round = 0; round < 2; round++) { // the second round answers from the cache
                assertThat(outcome(() -> cachingEngine.evaluateSimpleExpression(expression, variables)))
                        .as(expression).isEqualTo(outcome(() -> engine.evaluateSimpleExpression(expression, variables)));
            }
        }
        for (String unaryTests : List.of("\"A\",\"B\",\"C\"", "[25..38)", ">= 38", "< 15", "-", "not(\"B\")", "", "[1..",
                "> nothing", "?")) {
            for (Object input : Arrays.asList("B", 30, 38, 14, null)) {
                VariableContext context = Variables.createVariables().putValue("cellInput", input).putValue("nothing", null)
                        .asVariableContext();
                for (int round = 0; round < 2; round++) {
                    assertThat(outcome(() -> cachingEngine.evaluateSimpleUnaryTests(unaryTests, "cellInput", context)))
                            .as("%s with %s", unaryTests, input)
                            .isEqualTo(outcome(() -> engine.evaluateSimpleUnaryTests(unaryTests, "cellInput", context)));
                }
            }
        }
    }

    @Test
    void aDecisionCannotCallJava_theFeelEnginesExternalFunctionsAreOff() {
        // a decision deployed from Modeler runs in the engine: a FEEL function "external" to Java would run any static method
        String external = "(function(a, b) external {java: {class: \"java.lang.Math\", method signature: \"max(int, int)\"}})(3, 4)";
        VariableContext none = Variables.createVariables().asVariableContext();
        for (FeelEngine feel : List.of(new CachingFeelEngine(new ArrayList<>()), new ScalaFeelEngine(new ArrayList<>()))) {
            Object outcome = outcome(() -> feel.evaluateSimpleExpression(external, none));
            assertThat(outcome).as("%s", feel.getClass().getSimpleName()).asString()
                    .doesNotStartWith("4 (").containsIgnoringCase("external");
        }
    }

    @Test
    void aSuccessfulEvaluation_isAnsweredFromTheCachedParse_aFailingOneByTheEngineItself() {
        CachingFeelEngine cachingEngine = new CachingFeelEngine(new ArrayList<>());
        VariableContext variables = Variables.createVariables().putValue("leadScore", 70).putValue("mqlThreshold", 60)
                .asVariableContext();

        for (int round = 0; round < 3; round++) {
            assertThat((Boolean) cachingEngine.evaluateSimpleExpression("leadScore >= mqlThreshold", variables)).isTrue();
            assertThat(cachingEngine.evaluateSimpleUnaryTests("[25..38)", "cellInput",
                    Variables.createVariables().putValue("cellInput", 30).asVariableContext())).isTrue();
        }
        assertThat(cachingEngine.answeredHere()).as("six evaluations, each on the fast path").isEqualTo(6);

        assertThat(outcome(() -> cachingEngine.evaluateSimpleExpression("missing", variables)))
                .isEqualTo(outcome(() -> new ScalaFeelEngine(new ArrayList<>()).evaluateSimpleExpression("missing", variables)));
        assertThat(cachingEngine.answeredHere()).as("a suppressed failure goes to the engine").isEqualTo(6);
    }

    @Test
    void manyThreadsAtOnce_getEachTheirOwnAnswer() throws Exception {
        FeelEngine cachingEngine = new CachingFeelEngine(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                int score = i % 100;
                answers.add(pool.submit(() -> {
                    VariableContext variables = Variables.createVariables().putValue("leadScore", score)
                            .putValue("mqlThreshold", 60).asVariableContext();
                    boolean reached = cachingEngine.evaluateSimpleExpression("leadScore >= mqlThreshold", variables);
                    boolean inRange = cachingEngine.evaluateSimpleUnaryTests("[25..38)", "cellInput",
                            Variables.createVariables().putValue("cellInput", score).asVariableContext());
                    return reached == (score >= 60) && inRange == (score >= 25 && score < 38);
                }));
            }
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static DmnEngine dmnEngine(DefaultDmnEngineConfiguration configuration) {
        return configuration.buildEngine();
    }

    static List<Path> dmnFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("processes"))) {
            List<Path> dmn = files.filter(f -> f.toString().endsWith(".dmn")).sorted().toList();
            assertThat(dmn).isNotEmpty();
            return dmn;
        }
    }

    static List<DmnDecision> parse(DmnEngine engine, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return engine.parseDecisions(in);
        }
    }

    /** Every combination of the inputs the tables read, with the values around each rule's edges. */
    static List<Map<String, Object>> inputs() {
        List<Map<String, Object>> all = new ArrayList<>();
        String[] types = {"pageVisit", "emailClick", "download", "formFill", "webinar", "unknown"};
        int i = 0;
        for (String industry : INDUSTRIES) {
            for (Integer size : SIZES) {
                for (String role : ROLES) {
                    for (String country : COUNTRIES) {
                        Map<String, Object> inputs = new HashMap<>();
                        inputs.put("industry", industry);
                        inputs.put("companySize", size);
                        inputs.put("role", role);
                        inputs.put("country", country);
                        int n = i++;
                        inputs.put("fitScore", n % 55 - 2);
                        inputs.put("leadScore", n % 101);
                        inputs.put("mqlThreshold", 60);
                        inputs.put("fitGrade", n % 5 == 4 ? null : String.valueOf("ABCD".charAt(n % 4)));
                        inputs.put("engagementType", types[n % types.length]);
                        all.add(inputs);
                    }
                }
            }
        }
        return all;
    }

    /** The decision's result entries, or the error's type and message. */
    static Object outcome(DmnEngine engine, DmnDecision decision, Map<String, Object> inputs) {
        return outcome(() -> engine.evaluateDecision(decision, inputs).getResultList());
    }

    static Object outcome(Callable<Object> evaluation) {
        try {
            Object value = evaluation.call();
            return value + " (" + (value == null ? "null" : value.getClass().getName()) + ")";
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
