@engine-selftest @v2
Feature: Engine errors and deadlines self-test
  What may skip a scenario (only the typed not-applicable signal), what fails it (everything else, undefined steps
  included), and the hard deadline of a scenario whose step never ends (issue 10 §3, §9).

  Scenario: A driver's NotSupportedException fails the scenario
    Given the self-test value is 1
    When the self-test driver throws NotSupportedException "no such option"

  Scenario: A step that waits on the scenario's cancellation ends at the deadline
    Given the self-test value is 1
    When the self-test step waits for the scenario's cancellation

  Scenario: A step that ignores cancellation is abandoned after the deadline
    Given the self-test value is 1
    When the self-test step hangs ignoring cancellation
    Then the self-test value should be 1
