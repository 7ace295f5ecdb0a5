@server @robustness
Feature: Floods from one socket and from many
  One socket that sends tens of thousands of requests, or many sockets that never complete their handshake, must not
  take the server down. Each case states its outcome and ends with the check that the server still serves a new
  client (RB-010). That a flood does not starve the attacker's neighbour N is hardening advice (RB-034, a SHOULD;
  the scenarios are tagged hardening): the official server processes one socket's burst on its single event loop,
  and a neighbour whose pongs wait behind it is closed with 4001 when the ping timeout is short.

  @fixture @v1 @v2 @L3 @RB-010 @RB-031 @exclusive
  Scenario: 20 000 subscribes on one socket: all succeed, or those beyond socketChannelLimit fail with InvalidActionError
    Given raw connection A has completed the handshake
    When A sends 20000 frames like '{"event":"#subscribe","data":{"channel":"rb-flood-$i"},"cid":$cid}'
    Then every subscribe of A's flood is answered within the channel limit
    And A stays open for 300 ms
    And the server still serves a new client

  @fixture @v1 @v2 @L1 @RB-010 @RB-030 @exclusive
  Scenario: Publishes to 5 000 channels nobody subscribes to
    Given raw connection A has completed the handshake
    When A sends 5000 frames like '{"event":"#publish","data":{"channel":"rb-pub-$i","data":$i}}'
    Then A stays open for 500 ms
    And the server still serves a new client

  @fixture @v1 @v2 @L1 @RB-010 @RB-030 @exclusive
  Scenario: 2 000 acknowledged publishes are each answered
    Given raw connection A has completed the handshake
    When A sends 2000 frames like '{"event":"#publish","data":{"channel":"rb-ack-$i","data":$i},"cid":$cid}'
    Then A receives '{"rid":"$lastCid"}'
    And the server still serves a new client

  @fixture @v1 @v2 @L1 @RB-010 @RB-030 @exclusive
  Scenario: 20 000 transmits to event names without consumers
    Given raw connection A has completed the handshake
    When A sends 20000 frames like '{"event":"rb.nobody.$i","data":$i}'
    Then A stays open for 500 ms
    And the server still serves a new client

  @fixture @v1 @v2 @L1 @RB-010 @RB-030 @EV-010 @exclusive
  Scenario: 10 000 invokes of a procedure nobody answers
    Given raw connection A has completed the handshake
    When A sends 10000 frames like '{"event":"rb.unanswered","data":$i,"cid":$cid}'
    Then A receives no frame matching '{"rid":"<any>"}' within 500 ms
    And A stays open for 300 ms
    And the server still serves a new client

  @fixture @v1 @v2 @L1 @RB-010 @RB-030 @exclusive
  Scenario: 10 000 invokes, then the socket vanishes
    Given raw connection A has completed the handshake
    When A sends 10000 frames like '{"event":"rb.unanswered","data":$i,"cid":$cid}'
    And A disconnects with code 4446 and reason "gone"
    Then the server still serves a new client

  @fixture @v1 @v2 @L1 @RB-010 @RB-030 @exclusive
  Scenario: 5 000 echo invokes in a burst are all answered, the last one included
    Given raw connection A has completed the handshake
    When A sends 5000 frames like '{"event":"conformance.echo","data":$i,"cid":$cid}'
    Then A receives '{"rid":"$lastCid","data":4999}'
    And the server still serves a new client

  @fixture @v1 @v2 @L1 @slow @RB-010 @RB-032 @HS-007 @exclusive
  Scenario: 200 sockets that never send #handshake are each closed with 4005 at the handshake timeout
    Given raw connection N has completed the handshake
    When 200 raw connections open and never send a handshake
    Then each of them is closed with code 4005 within the handshake timeout
    And the server still serves a new client and N is unaffected

  @fixture @v1 @v2 @L1 @slow @RB-010 @RB-033 @PP-004
  Scenario: A socket that never sends a pong is closed with 4001 and nobody else is
    Given raw connection N has completed the handshake
    And raw connection A has completed the handshake
    When A stops answering pings
    Then A is closed with code 4001 one ping timeout after its last pong
    And the server still serves a new client and N is unaffected

  @fixture @hardening @v1 @v2 @L1 @RB-034 @exclusive
  Scenario Outline: A flood of <count> <kind> does not starve a neighbour
    Given raw connection N has completed the handshake
    And raw connection A has completed the handshake
    When A sends <count> frames like '<frame>'
    Then A stays open for 300 ms
    And the server still serves a new client and N is unaffected

    Examples:
      | kind                         | count | frame                                                            |
      | subscribes                   | 20000 | {"event":"#subscribe","data":{"channel":"rb-flood-$i"},"cid":$cid} |
      | publishes to new channels    | 5000  | {"event":"#publish","data":{"channel":"rb-pub-$i","data":$i}}     |
      | transmits without consumers  | 20000 | {"event":"rb.nobody.$i","data":$i}                                |
      | unanswered invokes           | 10000 | {"event":"rb.unanswered","data":$i,"cid":$cid}                    |
