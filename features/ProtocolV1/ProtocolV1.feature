@v1
Feature: Protocol version 1
  Protocol v1 is the protocol of SocketCluster 14 and earlier; current packages speak it when created
  with protocolVersion 1. In the current packages the only wire difference is the ping and the pong:
  the server pings with the text #1 and the client answers #2 (v2 uses empty frames for both). There is
  no negotiation, so both sides must be configured alike. These scenarios run only against a v1 target.

  @server @v1 @L1 @V1-001
  Scenario: A v1 server pings with #1
    Given raw connection A has completed the handshake
    Then A receives a ping

  @server @v1 @L1 @slow @V1-002
  Scenario: A v1 server keeps a client that answers #2
    Given raw connection A has completed the handshake
    Then A is still open after the ping timeout

  @server @v1 @L1 @V1-006 @fixture
  Scenario: A v1 server survives a handshake without a cid
    Given raw connection A is open
    When A sends '{"event":"#handshake","data":{"authToken":null}}'
    And raw connection B has completed the handshake
    And B invokes "conformance.echo" with '"v1 alive"'
    Then the invoke of B resolves with '"v1 alive"'

  @client @v1 @L1 @V1-002
  Scenario: A v1 client answers #1 with #2
    Given the known-good server is running with options '{"pingInterval":500,"pingTimeout":2000}'
    And a client C is connected
    Then the known-good server receives from C a frame matching '#2'
    And C does not emit disconnect within 4000 ms
    And the connection state of C is open
