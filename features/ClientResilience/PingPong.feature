@client @scripted
Feature: Scripted server — pings of the other protocol version
  There is no protocol negotiation: a v2 client answers only the empty ping "" and a v1 client only "#1". A ping of
  the other version is a raw message to the client: no answer, and no reason to close (digest §3 "Cross-version
  quirks"). The scripted server sends both kinds and watches what the client sends back.

  Background:
    Given the scripted server is running

  @v2 @L1 @PP-012 @PP-006
  Scenario: A v2 client ignores the v1 ping #1 and answers the v2 ping
    When a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S sends '#1'
    Then S receives no frame matching '"<any>"' within 1500 ms
    And C stays open for 200 ms
    When S sends a ping
    Then S next receives '$pong'

  @v1 @L1 @PP-012 @V1-002
  Scenario: A v1 client ignores the v2 ping "" and answers the v1 ping #1
    When a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S sends ''
    Then S receives no frame matching '"<any>"' within 1500 ms
    And C stays open for 200 ms
    When S sends a ping
    Then S next receives '$pong'
