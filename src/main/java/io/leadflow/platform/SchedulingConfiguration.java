package io.leadflow.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Spring's scheduler for the app's periodic checks: absences that start ({@code assignment.AbsenceReroutes})
 * and the Tasklist filters' new day ({@code security.TasklistFilters}). Each runs on every node; the
 * database decides which node does the work.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfiguration {
}
