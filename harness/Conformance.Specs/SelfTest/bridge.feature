@engine-selftest @v2 @v1
Feature: Bridge self-test
  The engine's own check of the Gherkin bridge: Background, outlines, rules, tags, failures.

  Background:
    Given the self-test value is 1

  @smoke
  Scenario: A passing scenario
    When the self-test value is increased by 2
    Then the self-test value should be 3

  Scenario: A failing step is named with its line
    When the self-test value is increased by 2
    Then the self-test value should be 4
    And the self-test value should be 3

  Scenario: An undefined step is pending
    When a step nobody has written yet

  Scenario: A step can skip the scenario
    Given the self-test scenario is skipped because "no fixture here"

  Scenario: A doc string reaches the step
    Then the self-test doc string has 2 lines:
      """
      first
      second
      """

  Scenario Outline: Adding <add> gives <sum>
    When the self-test value is increased by <add>
    Then the self-test value should be <sum>

    @fast
    Examples: small
      | add | sum |
      | 1   | 2   |
      | 2   | 3   |

    Examples:
      | add | sum |
      | 10  | 11  |

  Rule: Rules are flattened
    @ruled
    Scenario: A scenario inside a rule
      Then the self-test value should be 1
