package io.leadflow.capture;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadRepository.AttemptRow;
import io.leadflow.lead.LeadRepository.EngagementRow;
import io.leadflow.lead.LeadRepository.RecycleRow;
import io.leadflow.lead.LeadRepository.RejectionRow;
import io.leadflow.lead.LeadRepository.ScoreReasonRow;
import io.leadflow.lead.LeadRepository.StageEntry;
import io.leadflow.sla.SlaTimers;
import io.leadflow.sla.SlaStatus;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.NotFoundException;

/**
 * {@code GET /api/leads/{id}}: the shared lead record both teams look at; {@code GET
 * /api/leads/by-number/{number}} finds it by its readable number.
 */
@RestController
@Validated
@Tag(name = "Leads")
@RequestMapping("/api/leads")
public class LeadQueryController {

    private final LeadRepository leads;
    private final TaskService tasks;
    private final RuntimeService runtime;
    private final SlaTimers sla;

    public LeadQueryController(LeadRepository leads, TaskService tasks, RuntimeService runtime, SlaTimers sla) {
        this.leads = leads;
        this.tasks = tasks;
        this.runtime = runtime;
        this.sla = sla;
    }

    @Operation(summary = "Look up the lead record", description = "Contact data, scores with reasons, stage history, the latest 100 engagements (engagementCount counts all), attempts, open tasks with their SLA status.")
    @ApiResponse(responseCode = "200", description = "The lead record")
    @ApiResponse(responseCode = "404", description = "No such lead", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{id}")
    public LeadView get(@PathVariable String id) {
        return view(leads.findById(id).orElseThrow(() -> new NotFoundException("lead", id)));
    }

    @Operation(summary = "Look up the lead record by its number",
            description = "The same record as by id, found by the readable lead number (e.g. " + LeadNumbers.EXAMPLE
                    + ") that people see in Tasklist, Cockpit and notifications.")
    @ApiResponse(responseCode = "200", description = "The lead record")
    @ApiResponse(responseCode = "400", description = "Not a lead number (L-<year>-<6 or more digits>)", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No lead with this number", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/by-number/{number}")
    public LeadView getByNumber(@PathVariable("number") @Parameter(example = LeadNumbers.EXAMPLE)
                                @Pattern(regexp = LeadNumbers.REGEX, message = "must be a lead number like " + LeadNumbers.EXAMPLE)
                                String number) {
        return view(leads.findByNumber(number).orElseThrow(() -> new NotFoundException("lead", "number", number)));
    }

    private LeadView view(Lead lead) {
        String id = lead.id();
        List<Task> openTasks = tasks.createTaskQuery().processInstanceBusinessKeyIn(LeadNumbers.businessKeys(id, lead.number()))
                .active().list();
        Map<String, Object> tracked = trackedStatus(openTasks);
        List<OpenTask> open = openTasks.stream()
                .map(task -> OpenTask.of(task, sla.status((String) tracked.get(task.getId()), task.getCreateTime().toInstant(),
                        task.getDueDate() == null ? null : task.getDueDate().toInstant())))
                .toList();
        List<EngagementRow> engagements = leads.latestEngagements(id, ENGAGEMENTS_SHOWN);
        long engagementCount = engagements.size() < ENGAGEMENTS_SHOWN ? engagements.size() : leads.engagementCount(id);
        return new LeadView(lead, leads.latestScoreReasons(id), leads.stageHistory(id), engagementCount, engagements,
                leads.attempts(id), leads.rejections(id), leads.recycles(id), open);
    }

    /** The open tasks' SLA status as their timers set it, by task id, in one query. */
    private Map<String, Object> trackedStatus(List<Task> openTasks) {
        if (openTasks.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> byTask = new HashMap<>();
        runtime.createVariableInstanceQuery().taskIdIn(openTasks.stream().map(Task::getId).toArray(String[]::new))
                .variableName(SlaTimers.SLA_STATUS).disableCustomObjectDeserialization().list()
                .forEach(variable -> byTask.put(variable.getTaskId(), variable.getValue()));
        return byTask;
    }

    /** The latest engagements a lead record shows; {@code engagementCount} counts them all (the score reasons sum them all). */
    static final int ENGAGEMENTS_SHOWN = 100;

    public record LeadView(Lead lead, List<ScoreReasonRow> scoreReasons, List<StageEntry> stageHistory,
                           long engagementCount, List<EngagementRow> engagements, List<AttemptRow> attempts, List<RejectionRow> rejections,
                           List<RecycleRow> recycles, List<OpenTask> openTasks) {
    }

    /** An open task of the lead with its deadline and where it stands against the SLA. */
    public record OpenTask(String id, String key, String name, String assignee, OffsetDateTime due, SlaStatus slaStatus) {
        static OpenTask of(Task task, SlaStatus status) {
            return new OpenTask(task.getId(), task.getTaskDefinitionKey(), task.getName(), task.getAssignee(),
                    task.getDueDate() == null ? null : OffsetDateTime.ofInstant(task.getDueDate().toInstant(), ZoneOffset.UTC),
                    status);
        }
    }
}
