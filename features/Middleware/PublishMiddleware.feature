@fixture
Feature: Publish middleware refuses a publication
  Server middleware can refuse a client's #publish. Nothing is then published. A publish request
  (invokePublish) is answered with the middleware's error, or SilentMiddlewareBlockedError when it
  blocked without one; a publish transmit (transmitPublish) gets no reply at all. The fixture blocks
  conformance.blocked.* with BlockedByConformanceError and conformance.silent.* without an error.

  @server @v1 @v2 @L3 @MW-003 @S71
  Scenario Outline: A refused publish request gets the middleware's error
    Given raw connection A has completed the handshake
    When A publishes '"news"' to "<channel>" with invokePublish
    Then the invokePublish of A fails with an error like '<error>'
    And A stays open for 500 ms

    Examples:
      | channel                  | error                                                                                                                 |
      | conformance.blocked.news | {"name":"BlockedByConformanceError","message":"Channel conformance.blocked.news is blocked by the conformance fixture"} |

    @not-v14
    Examples: socketcluster-server 14.x answers these differently (spec/legacy-v14.md)
      | channel                  | error                                                                                                                 |
      | conformance.silent.news  | {"name":"SilentMiddlewareBlockedError","message":"The publishIn AGAction was blocked by inbound middleware","type":"inbound"} |

  @server @v1 @v2 @L3 @MW-003
  Scenario: A refused publish transmit gets no reply
    Given raw connection A has completed the handshake
    When A publishes '"news"' to "conformance.blocked.news" with transmitPublish
    And A publishes '"news"' to "conformance.silent.news" with transmitPublish
    Then A receives no frame matching '"<any>"' within 500 ms
    And A stays open for 500 ms

  @client @v1 @v2 @L3 @MW-004 @PS-020 @S71
  Scenario Outline: A client's invokePublish rejects with the middleware's error
    Given the known-good server is running
    And a client C is connected
    When C publishes '"news"' to "conformance.blocked.news" with <method>
    Then the invokePublish of C fails with "BlockedByConformanceError" saying "Channel conformance.blocked.news is blocked by the conformance fixture"
    And the connection state of C is open

    Examples:
      | method                |
      | invokePublish         |
      | channel.invokePublish |
