package io.leadflow.assignment;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.security.ApiSecurity;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.NotFoundException;

/**
 * {@code /api/reps}: the reps' capacity (weight in the rotation), whether they are active, and
 * their absences. Reading needs scope read (or group salesManagers, camunda-admin); changing needs
 * HTTP Basic as a user of {@link ApiSecurity#REP_MANAGER_GROUPS}. Tasklist's start form "Manage rep
 * availability" changes the same through {@link RepAvailability}.
 */
@RestController
@Tag(name = "Reps")
@RequestMapping(ApiSecurity.REPS)
public class RepController {

    private final RepAvailability availability;

    public RepController(RepAvailability availability) {
        this.availability = availability;
    }

    /** Capacity (1-1000, a weight: twice the capacity, twice the leads) and/or active; a field left out stays as it is. */
    public record RepSettings(Integer capacity, Boolean active) {
    }

    /** A period out of office: from and to are instants with offset; to must be after from and in the future. */
    public record NewAbsence(OffsetDateTime from, OffsetDateTime to, String reason) {
    }

    @Operation(summary = "List the sales reps",
            description = "Every rep of the rotation with capacity (weight), active, availableNow (active and not absent at the engine's time), current and coming absences, and how many 'Accept lead' tasks they hold. An absence's reason is shown to sales managers, administrators and the rep only (null to other readers).")
    @ApiResponse(responseCode = "200", description = "The reps, by user id")
    @GetMapping
    public List<RepAvailability.Rep> list(Authentication caller) {
        return availability.reps().stream().map(rep -> shownTo(caller, rep)).toList();
    }

    /**
     * An absence's reason ("medical leave") is for those who manage availability and for the rep: every
     * other reader (a colleague, marketing, a reporting key) sees that the rep is away, and when.
     */
    static RepAvailability.Rep shownTo(Authentication caller, RepAvailability.Rep rep) {
        if (seesReasons(caller, rep.userId())) {
            return rep;
        }
        return new RepAvailability.Rep(rep.userId(), rep.capacity(), rep.active(), rep.availableNow(),
                rep.absences().stream().map(RepController::withoutReason).toList(), rep.openAcceptLeadTasks());
    }

    private static boolean seesReasons(Authentication caller, String userId) {
        return caller != null && (userId.equals(caller.getName()) || caller.getAuthorities().stream()
                .map(org.springframework.security.core.GrantedAuthority::getAuthority).anyMatch(ApiSecurity.REP_MANAGER_GROUPS::contains));
    }

    private static RepAvailability.Absence withoutReason(RepAvailability.Absence absence) {
        return new RepAvailability.Absence(absence.id(), absence.from(), absence.to(), null, absence.createdBy(), absence.reroutedAt());
    }

    @Operation(summary = "Set a rep's capacity or deactivate them",
            description = "Capacity is the rep's weight in the rotation (capacities 10/20/30 get a sixth, a third and half of the leads); a deactivated rep gets no leads until activated again. Open tasks stay with the rep.")
    @ApiResponse(responseCode = "200", description = "The rep as now set")
    @ApiResponse(responseCode = "400", description = "Capacity below 1 or above 1000, or neither field given; every bad field named, nothing changed", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Not a sales manager or administrator", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such rep", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PutMapping(path = "/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public RepAvailability.Rep update(@PathVariable String userId, @RequestBody RepSettings settings, Authentication caller) {
        return availability.update(userId, settings.capacity(), settings.active(), caller.getName());
    }

    @Operation(summary = "Mark a rep out of office",
            description = "From and to (instants with offset), and a reason. The rep gets no leads in the period; when it starts, the rep's open 'Accept lead' tasks go to the next available rep.")
    @ApiResponse(responseCode = "201", description = "Recorded; Location names the absence")
    @ApiResponse(responseCode = "400", description = "from or to missing, to not after from, to in the past or more than 366 days after from, reason missing, too long or with control characters; every bad field named, nothing recorded", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Not a sales manager or administrator", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such rep", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/{userId}/absences", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RepAvailability.Absence> addAbsence(@PathVariable String userId, @RequestBody NewAbsence absence, Authentication caller) {
        RepAvailability.Absence added = availability.addAbsence(userId, absence.from(), absence.to(), absence.reason(), caller.getName());
        return ResponseEntity.created(URI.create(ApiSecurity.REPS + "/" + userId + "/absences/" + added.id())).body(added);
    }

    @Operation(summary = "Look up a rep's absence", description = "One absence that is not over yet, as the list shows it; the Location of a new absence names it.")
    @ApiResponse(responseCode = "200", description = "The absence")
    @ApiResponse(responseCode = "404", description = "No such rep, or no such absence that is not over", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{userId}/absences/{absenceId}")
    public RepAvailability.Absence absence(@PathVariable String userId, @PathVariable String absenceId, Authentication caller) {
        return shownTo(caller, availability.rep(userId)).absences().stream().filter(a -> a.id().equals(absenceId)).findFirst()
                .orElseThrow(() -> new NotFoundException("absence", absenceId));
    }

    @Operation(summary = "Remove a rep's absence", description = "Entered by mistake, or the rep is back early: they get leads again at once.")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "403", description = "Not a sales manager or administrator", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such rep or absence", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @DeleteMapping("/{userId}/absences/{absenceId}")
    public ResponseEntity<Void> removeAbsence(@PathVariable String userId, @PathVariable String absenceId) {
        availability.removeAbsence(userId, absenceId);
        return ResponseEntity.noContent().build();
    }
}
