package io.leadflow;

import org.camunda.bpm.spring.boot.starter.annotation.EnableProcessApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@EnableProcessApplication("leadflow")
@ConfigurationPropertiesScan
public class LeadflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(LeadflowApplication.class, args);
    }
}
