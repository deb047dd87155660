package io.leadflow.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.FeelEngineFactory;
import org.camunda.bpm.dmn.feel.impl.scala.ContextVariableWrapper;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.function.FeelCustomFunctionProvider;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.variable.context.VariableContext;
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
 * exactly the engine's. The one class of the app that touches the DMN and FEEL engines' internals
 * (their configuration SPI lives in {@code impl} packages); {@code CachingFeelEngineTest} holds it
 * to the engine's answers.
 */
public class CachingFeelEngine extends ScalaFeelEngine {

    /** Expressions come from deployed tables; a bound keeps redeploys from growing the cache forever. */
    static final int MAX_CACHED_EXPRESSIONS = 10_000;

    private final ValueMapper valueMapper;
    private final FeelInterpreter interpreter;
    private final EvalContext root;
    private final Map<String, ParsedExpression> expressions = new ConcurrentHashMap<>();
    private final Map<String, ParsedExpression> unaryTests = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder answeredHere = new java.util.concurrent.atomic.LongAdder();

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
    public static org.camunda.bpm.dmn.engine.DmnEngine dmnEngine(boolean caching) {
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
