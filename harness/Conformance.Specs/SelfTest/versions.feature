@engine-selftest @v1
Feature: Version self-test
  Scenario: Only for protocol version 1
    Then the self-test value should be 0
