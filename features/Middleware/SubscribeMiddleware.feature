@fixture
Feature: Subscribe middleware refuses a subscription
  Server middleware can refuse a #subscribe. The request is then answered with the middleware's error
  (or SilentMiddlewareBlockedError when it blocked without one), no membership is created, and the
  connection stays open. The client reports subscribeFail with that error and drops the channel.
  The fixture blocks channels named conformance.blocked.* with BlockedByConformanceError and
  conformance.silent.* without an error.

  @server @v1 @v2 @L3 @MW-002 @S54 @S75
  Scenario Outline: A refused subscribe gets the middleware's error and no membership
    Given raw connection A has completed the handshake
    When A subscribes to "<channel>"
    Then the subscribe of A fails with an error like '<error>'
    When A invokes "conformance.subscriptions" without data
    Then the invoke of A resolves with '[]'
    And A stays open for 500 ms

    Examples:
      | channel                 | error                                                                                                                |
      | conformance.blocked.foo | {"name":"BlockedByConformanceError","message":"Channel conformance.blocked.foo is blocked by the conformance fixture"} |

    @not-v14
    Examples: socketcluster-server 14.x answers these differently (spec/legacy-v14.md)
      | channel                 | error                                                                                                                |
      | conformance.silent.foo  | {"name":"SilentMiddlewareBlockedError","message":"The subscribe AGAction was blocked by inbound middleware","type":"inbound"} |

  @client @v1 @v2 @L3 @PS-018 @MW-004 @S54
  Scenario Outline: A client reports a refused subscription with subscribeFail
    Given the known-good server is running
    And a client C is connected
    When C subscribes to "<channel>"
    Then C emits subscribeFail with '{"channel":"<channel>","error":{"name":"<name>","message":"<message>"}}'
    And channel "<channel>" of C becomes unsubscribed
    And C does not emit subscribe within 500 ms
    And the connection state of C is open

    Examples:
      | channel                 | name                         | message                                                       |
      | conformance.blocked.foo | BlockedByConformanceError    | Channel conformance.blocked.foo is blocked by the conformance fixture |

    @not-v14
    Examples: socketcluster-server 14.x answers these differently (spec/legacy-v14.md)
      | channel                 | name                         | message                                                       |
      | conformance.silent.foo  | SilentMiddlewareBlockedError | The subscribe AGAction was blocked by inbound middleware      |
