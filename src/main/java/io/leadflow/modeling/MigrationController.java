package io.leadflow.modeling;

import java.security.Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.web.ApiDocumentation;

/**
 * Moves running leads to another version of the lifecycle: {@code POST /api/migrations/dry-run}
 * tells what would happen, {@code POST /api/migrations} does it. Process owners (and administrators)
 * only, HTTP Basic as an engine user.
 */
@RestController
@Tag(name = "Process versions")
public class MigrationController {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationController.class);

    public static final String DRY_RUN = "/api/migrations/dry-run";
    public static final String MIGRATE = "/api/migrations";

    private final LeadMigrations migrations;

    public MigrationController(LeadMigrations migrations) {
        this.migrations = migrations;
    }

    /**
     * From which lifecycle version to which (the version numbers Cockpit shows); {@code after}, the
     * previous answer's {@code next}, continues a migration where that request stopped.
     */
    public record MigrationRequest(@NotNull @Positive Integer sourceVersion, @NotNull @Positive Integer targetVersion,
                                   @Size(max = 64) @Pattern(regexp = "^[0-9A-Za-z:._-]*$",
                                           message = "must be the value next of an earlier answer") String after) {
    }

    @Operation(summary = "What a migration of running leads would do",
            description = "For the leads running on sourceVersion of the lifecycle: how many wait in each activity, where each activity maps in targetVersion (same id), which cannot move and why. Each plan counts the instances the migration would touch (instances) and those this request tried (tried, migrated, failed): the page the migration would take (after and next as there), each migrated and rolled back, so instance problems show too; sample is true when that page is not all of them, remaining counts those after it (lifecycle and called processes). Instances of older versions of the called processes (follow-up, nurture) move to their latest version with their own plans. A plan that is not valid (the engine refuses it, or targetVersion is older than sourceVersion) is reported with planValid false and its planProblems, and no instance is tried, as the migration would move none. From a version to the same version, only the older instances of the called processes are tried. Nothing changes.")
    @ApiResponse(responseCode = "200", description = "The report; nothing changed")
    @ApiResponse(responseCode = "400", description = "No valid version numbers", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Not a process owner", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such version of the lifecycle", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = DRY_RUN, produces = MediaType.APPLICATION_JSON_VALUE)
    public LeadMigrations.MigrationReport dryRun(@Valid @RequestBody MigrationRequest request, Principal caller) {
        return logged(caller, request, migrations.dryRun(request.sourceVersion(), request.targetVersion(), request.after()));
    }

    @Operation(summary = "Migrate running leads to another lifecycle version",
            description = "Migrates the leads running on sourceVersion to targetVersion, each in its own transaction, and reports each instance: migrated, or why not. At most 1,000 instances (lifecycle and called processes, by id) per request: remaining says how many are not tried yet; to go on, send next as after, until remaining is 0. An instance that cannot move is not tried again in the same walk; notMigrated counts those tried so far that are still on their old version (they need another model or a manual move; a request without after tries them again). From a version to the same version moves only the older instances of the called processes (the lifecycle's leads are there already). A lifecycle plan that is not valid migrates nothing (422). Timers whose definition changed are computed again from the SLA (counted from now), an open task takes the due date of its SLA timer and the new task name; a deadline timer the old version did not have (timersAdded) takes the task's due date instead, so an overdue task breaches at once; a timer the new version does not have (timersRemoved) goes. An open task whose candidate groups the new version changes (candidateGroupsChanged) goes to the new team. A lead another migration running at the same time moved first counts as migrated, saying so.")
    @ApiResponse(responseCode = "200", description = "The report per instance")
    @ApiResponse(responseCode = "400", description = "No valid version numbers", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Not a process owner", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such version of the lifecycle", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The lifecycle's migration plan is not valid (the engine refuses it, or targetVersion is older than sourceVersion), each problem under errors; nothing was migrated, the called processes neither", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = MIGRATE, produces = MediaType.APPLICATION_JSON_VALUE)
    public LeadMigrations.MigrationReport migrate(@Valid @RequestBody MigrationRequest request, Principal caller) {
        return logged(caller, request, migrations.migrate(request.sourceVersion(), request.targetVersion(), request.after()));
    }

    /**
     * One line per request: who moved which leads where, and how it went (the engine writes no user
     * operation for a migration the app runs for its caller, and an instance that cannot move is
     * reported in the answer, not logged).
     */
    private static LeadMigrations.MigrationReport logged(Principal caller, MigrationRequest request, LeadMigrations.MigrationReport report) {
        LOG.info("{} of lifecycle version {} → {} by {}{}: {} instances tried, {} migrated, {} could not move, {} remaining",
                report.dryRun() ? "Dry run" : "Migration", request.sourceVersion(), request.targetVersion(),
                caller == null ? "?" : caller.getName(), request.after() == null ? "" : " after " + request.after(),
                report.instances().size(), report.migrated(), report.failed(), report.remaining());
        return report;
    }
}
