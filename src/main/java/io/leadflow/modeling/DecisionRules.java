package io.leadflow.modeling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Input;
import org.camunda.bpm.model.dmn.instance.InputEntry;
import org.camunda.bpm.model.dmn.instance.Output;
import org.camunda.bpm.model.dmn.instance.OutputEntry;
import org.camunda.bpm.model.dmn.instance.Rule;

import io.leadflow.nurture.EngagementService;
import io.leadflow.platform.CamundaInternals;
import io.leadflow.scoring.ScoreCard;

/**
 * What the app relies on in the decisions it evaluates: the scorer reads {@code points} and
 * {@code reason} of every {@code leadFit} rule, one grade from {@code leadFitGrade}, at most one
 * number from {@code engagementPoints}; the lifecycle maps one entry of {@code mqlDecision} and
 * {@code leadRouting}. A table that breaks this fails only when a lead gives the inputs that show it
 * (a UNIQUE table whose rules overlap at fit 35–37 failed every capture of such a lead with a 500),
 * so each decision is evaluated over the inputs the app gives it: each number a rule names and its
 * neighbours, each text a rule names, another text, nothing; every fit score the scorer can give,
 * every engagement type. One readable sentence per violation, at most {@link #PER_DECISION} per
 * decision; empty: the running system can evaluate the table.
 */
public final class DecisionRules {

    /** The violations named per decision (the first inputs that show each); more would only repeat them. */
    static final int PER_DECISION = 3;
    /** The most inputs a decision is evaluated with; a larger grid is walked with a stride. */
    static final int MAX_SAMPLES = 20_000;

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.\"])-?\\d+(?:\\.\\d+)?(?![\\w\"])");
    private static final String UNLISTED = "unlisted";
    private static final DmnEngine DMN = CamundaInternals.CachingFeelEngine.dmnEngine(true);

    /** A variable the app passes: text or number (its samples come from the rules), or a fixed list of values. */
    private record Variable(String name, boolean number, List<Object> values) {

        static Variable text(String name) {
            return new Variable(name, false, List.of());
        }

        static Variable number(String name) {
            return new Variable(name, true, List.of());
        }

        static Variable of(String name, List<?> values) {
            return new Variable(name, values.stream().allMatch(v -> v instanceof Number), List.copyOf(values));
        }
    }

    /**
     * A decision the app evaluates: what it passes (its variables: the only names its inputs may read),
     * the outputs it reads by name (none: the single one), and why a result would break it (null: it does not).
     */
    private record Use(List<Variable> variables, List<String> outputs, Function<DmnDecisionResult, String> problem) {
    }

    private static final List<Integer> FIT_SCORES = IntStream.rangeClosed(0, ScoreCard.MAX_FIT).boxed().toList();
    private static final List<Integer> LEAD_SCORES = IntStream.rangeClosed(0, ScoreCard.MAX_FIT + ScoreCard.MAX_ENGAGEMENT).boxed().toList();

    /** A grade the lead record holds: one letter (column fit_grade). */
    private static final Pattern GRADE = Pattern.compile("[A-Z]");

    private static final Map<String, Use> USES = Map.of(
            "leadFit", new Use(List.of(Variable.text("industry"), Variable.number("companySize"), Variable.text("role"),
                    Variable.text("country")), List.of("points", "reason"), DecisionRules::fitPoints),
            "leadFitGrade", new Use(List.of(Variable.of("fitScore", FIT_SCORES)), List.of(),
                    result -> result.size() != 1 ? "gives " + (result.isEmpty() ? "no grade" : result.size() + " grades")
                            + ": the scorer needs exactly one" : grade(result)),
            "engagementPoints", new Use(List.of(Variable.of("engagementType", new ArrayList<>(new TreeSet<>(EngagementService.TYPES)))),
                    List.of(), result -> result.size() > 1 ? "gives " + result.size() + " results: the scorer takes one"
                            : result.isEmpty() ? null : single(result, Number.class, "points (a number)", true)),
            // the lifecycle's gateway reads mqlReached, which must be true or false for every lead
            "mqlDecision", new Use(List.of(Variable.of("leadScore", LEAD_SCORES), Variable.of("mqlThreshold", List.of(0, 60, 100)),
                    Variable.text("fitGrade"), Variable.number("fitScore"), Variable.number("engagementScore")), List.of(),
                    result -> result.size() != 1 ? "gives " + (result.isEmpty() ? "no result" : result.size() + " results")
                            + ": the lifecycle needs exactly one, true or false (add a last rule for every other lead)"
                            : single(result, Boolean.class, "true or false", false)),
            // no territory: the lead goes to Assign lead by hand
            "leadRouting", new Use(List.of(Variable.text("country"), Variable.number("companySize"), Variable.text("industry"),
                    Variable.text("role"), Variable.text("source"), Variable.text("fitGrade")), List.of(),
                    result -> atMostOne(result, String.class, "a territory (text)")));

    private DecisionRules() {
    }

    public static List<String> check(DmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        for (Decision decision : model.getModelElementsByType(Decision.class)) {
            Use use = USES.get(decision.getId());
            if (use == null) {
                continue;
            }
            DmnDecision parsed;
            try {
                parsed = DMN.parseDecision(decision.getId(), model);
            } catch (RuntimeException unreadable) {
                violations.add("decision " + decision.getId() + " cannot be read: " + ModelXml.whyUnreadable(unreadable));
                continue;
            }
            List<String> structure = structure(decision, use);
            if (!structure.isEmpty()) {
                structure.forEach(problem -> violations.add("decision " + decision.getId() + ": " + problem));
                continue; // evaluating it would only repeat the same problem for every input
            }
            // each distinct problem once, with the first inputs that show it
            Map<String, Map<String, Object>> problems = new LinkedHashMap<>();
            for (Map<String, Object> inputs : samples(decision, use.variables())) {
                String problem;
                try {
                    problem = use.problem().apply(DMN.evaluateDecision(parsed, new HashMap<>(inputs)));
                } catch (RuntimeException failed) {
                    problem = "fails: " + readable(failed);
                }
                if (problem != null) {
                    problems.putIfAbsent(problem, inputs);
                    if (problems.size() == PER_DECISION) {
                        break;
                    }
                }
            }
            problems.forEach((problem, inputs) -> violations.add("decision " + decision.getId() + " " + problem + " (inputs " + inputs + ")"));
        }
        return violations;
    }

    /** What the decision's table must be before it is evaluated: the outputs the app reads, inputs that read what it gives. */
    private static List<String> structure(Decision decision, Use use) {
        List<String> problems = new ArrayList<>();
        Set<String> given = new TreeSet<>();
        use.variables().forEach(v -> given.add(v.name()));
        for (DecisionTable table : decision.getChildElementsByType(DecisionTable.class)) {
            Set<String> outputs = new TreeSet<>();
            table.getOutputs().forEach(o -> outputs.add(o.getName() == null ? "" : o.getName()));
            if (use.outputs().isEmpty() && table.getOutputs().size() != 1) {
                problems.add("has " + table.getOutputs().size() + " outputs " + outputs + ": the app reads one");
            }
            for (String output : use.outputs()) {
                if (!outputs.contains(output)) {
                    problems.add("has no output named '" + output + "' (it has " + outputs + "), which the app reads");
                }
            }
            // a rule with an empty cell where the app reads a value: named by its id, so the process owner finds the cell
            List<Output> columns = new ArrayList<>(table.getOutputs());
            for (Rule rule : table.getRules()) {
                List<OutputEntry> cells = new ArrayList<>(rule.getOutputEntries());
                for (int i = 0; i < columns.size() && i < cells.size(); i++) {
                    String name = columns.get(i).getName();
                    String cell = cells.get(i).getText() == null ? "" : cells.get(i).getText().getTextContent();
                    if (use.outputs().contains(name) && cell.isBlank()) {
                        problems.add("rule " + rule.getId() + " gives no '" + name + "' (its cell is empty): every lead it matches"
                                + " would be scored without it");
                    }
                }
            }
            for (Input input : table.getInputs()) {
                String text = input.getInputExpression() == null || input.getInputExpression().getText() == null ? ""
                        : input.getInputExpression().getText().getTextContent();
                for (String name : names(text)) {
                    if (!given.contains(name)) {
                        problems.add("input '" + (input.getLabel() == null ? text : input.getLabel()) + "' reads " + name
                                + ", which the app does not give this decision (it gives " + given + "): every lead would read nothing there");
                    }
                }
            }
        }
        return problems;
    }

    /** FEEL's words, which are no variables. */
    private static final Set<String> FEEL_WORDS = Set.of("and", "or", "not", "in", "if", "then", "else", "true", "false", "null",
            "between", "instance", "of", "some", "every", "satisfies", "for", "return", "function");
    /** A function's name (FEEL's may be several words: {@code string length(}), up to its bracket. */
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\s+[A-Za-z_][A-Za-z0-9_]*)*\\s*\\(");
    private static final Pattern NAME = Pattern.compile("(?<![\\w.])[A-Za-z_][A-Za-z0-9_]*");

    /** The variables an input expression reads: its names but functions, FEEL's words and members after a dot. */
    static Set<String> names(String expression) {
        String code = FUNCTION.matcher(QUOTED.matcher(expression).replaceAll("\"\"")).replaceAll("(");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(code);
        while (name.find()) {
            if (!FEEL_WORDS.contains(name.group())) {
                names.add(name.group());
            }
        }
        return names;
    }

    /** An engine's refusal without the objects it dumps: the rules it names instead. */
    private static String readable(RuntimeException failed) {
        String message = failed.getMessage() == null ? failed.toString() : failed.getMessage();
        Set<String> rules = new LinkedHashSet<>();
        Matcher rule = RULE_ID.matcher(message);
        while (rule.find()) {
            rules.add(rule.group(1));
        }
        if (rules.isEmpty()) {
            return message;
        }
        int cut = message.indexOf(". ");
        return (cut > 0 ? message.substring(0, cut) : message) + " (rules " + String.join(", ", rules) + ")";
    }

    private static final Pattern RULE_ID = Pattern.compile("DmnEvaluatedDecisionRuleImpl\\{id='([^']+)'");

    private static String fitPoints(DmnDecisionResult result) {
        for (DmnDecisionResultEntries rule : result) {
            // getEntry of an output the table does not have fails without saying which
            Object points = rule.containsKey("points") ? rule.getEntry("points") : null;
            if (!(points instanceof Number)) {
                return "gives a rule without whole-number points (output 'points': " + points + ")";
            }
            if (!(rule.containsKey("reason") && rule.getEntry("reason") instanceof String reason) || reason.isBlank()) {
                return "gives a rule without a reason (output 'reason'), which the lead record shows beside its points";
            }
        }
        return null;
    }

    private static String grade(DmnDecisionResult result) {
        String problem = single(result, String.class, "a grade (text)", false);
        if (problem != null) {
            return problem;
        }
        String grade = result.getSingleEntry();
        return GRADE.matcher(grade).matches() ? null : "gives grade '" + grade + "': a grade is one capital letter (A, B, …)";
    }

    private static String atMostOne(DmnDecisionResult result, Class<?> type, String what) {
        return result.size() > 1 ? "gives " + result.size() + " results: the process takes one" : result.isEmpty() ? null
                : single(result, type, what, true);
    }

    private static String single(DmnDecisionResult result, Class<?> type, String what, boolean nullable) {
        DmnDecisionResultEntries entries = result.get(0);
        if (entries.size() != 1) {
            return "gives " + entries.size() + " outputs " + entries.keySet() + ": the app reads one, " + what;
        }
        Object value = entries.getSingleEntry();
        if (value == null ? !nullable : !type.isInstance(value)) {
            return "gives " + (value == null ? "nothing" : "'" + value + "'") + " where the app needs " + what;
        }
        return null;
    }

    /**
     * Every combination of each variable's samples; when there are more than {@link #MAX_SAMPLES}, a
     * stride through them and, so that no value is passed over (a stride of 2 over an even number of
     * countries skipped every other one), each value of each variable with the others' values in turn.
     */
    static List<Map<String, Object>> samples(Decision decision, List<Variable> variables) {
        List<List<Object>> values = new ArrayList<>();
        for (Variable variable : variables) {
            values.add(variable.values().isEmpty() ? fromRules(decision, variable) : variable.values());
        }
        long total = values.stream().mapToLong(List::size).reduce(1, (a, b) -> a * b);
        long stride = Math.max(1, (total + MAX_SAMPLES - 1) / MAX_SAMPLES);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (long index = 0; index < total; index += stride) {
            Object[] picks = new Object[values.size()];
            long rest = index;
            for (int i = values.size() - 1; i >= 0; i--) {
                picks[i] = values.get(i).get((int) (rest % values.get(i).size()));
                rest /= values.get(i).size();
            }
            Map<String, Object> sample = new LinkedHashMap<>();
            for (int i = 0; i < picks.length; i++) {
                sample.put(variables.get(i).name(), picks[i]);
            }
            samples.add(sample);
        }
        if (stride > 1) {
            for (int v = 0; v < values.size(); v++) {
                for (int k = 0; k < values.get(v).size(); k++) {
                    Map<String, Object> sample = new LinkedHashMap<>();
                    for (int i = 0; i < values.size(); i++) {
                        List<Object> choices = values.get(i);
                        sample.put(variables.get(i).name(), choices.get(i == v ? k : (k + i) % choices.size()));
                    }
                    samples.add(sample);
                }
            }
        }
        return samples;
    }

    /**
     * A variable's samples from the rules of the columns whose input expression names it: each text
     * they quote and one they do not, or each number they name with its neighbours and 0; and nothing.
     */
    private static List<Object> fromRules(Decision decision, Variable variable) {
        Set<Object> samples = new LinkedHashSet<>();
        Pattern named = Pattern.compile("(?<![\\w.])" + Pattern.quote(variable.name()) + "(?![\\w])");
        for (DecisionTable table : decision.getChildElementsByType(DecisionTable.class)) {
            List<Input> inputs = new ArrayList<>(table.getInputs());
            for (Rule rule : table.getRules()) {
                List<InputEntry> entries = new ArrayList<>(rule.getInputEntries());
                for (int i = 0; i < Math.min(inputs.size(), entries.size()); i++) {
                    var expression = inputs.get(i).getInputExpression();
                    String text = expression == null || expression.getText() == null ? "" : expression.getText().getTextContent();
                    if (!named.matcher(text).find() || entries.get(i).getText() == null) {
                        continue;
                    }
                    String entry = entries.get(i).getText().getTextContent();
                    Matcher m = (variable.number() ? NUMBER : QUOTED).matcher(entry);
                    while (m.find()) {
                        if (variable.number()) {
                            neighbours(m.group()).forEach(samples::add);
                        } else {
                            samples.add(m.group(1));
                        }
                    }
                }
            }
        }
        samples.add(variable.number() ? 0 : UNLISTED);
        List<Object> list = new ArrayList<>(samples);
        list.add(null);
        return list;
    }

    private static List<Object> neighbours(String number) {
        if (number.contains(".")) {
            double value = Double.parseDouble(number);
            return Arrays.asList(value - 0.5, value, value + 0.5);
        }
        long value = Long.parseLong(number);
        return value >= Integer.MIN_VALUE + 1 && value <= Integer.MAX_VALUE - 1
                ? Arrays.asList((int) value - 1, (int) value, (int) value + 1) : Arrays.asList(value);
    }
}
