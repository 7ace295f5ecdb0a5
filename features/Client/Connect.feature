@client
Feature: Connect a client to the server
  socketClusterClient.create() opens a WebSocket to /socketcluster/ and immediately sends the
  #handshake request with its stored token (or null). When the server answers, the client is open and
  emits connect with the socket id, the server's ping timeout and the authentication verdict.
  These scenarios check each client implementation against a known-good server.

  Background:
    Given the known-good server is running

  @v1 @v2 @L1 @HS-001 @TR-003 @TR-004
  Scenario: The client's first message is the handshake with a numeric cid
    Given a client C is connected
    Then the known-good server receives from C a frame matching '{"event":"#handshake","data":{"authToken":null},"cid":"<number>"}'

  @v1 @v2 @L1 @HS-009 @S27 @C4
  Scenario: The connect event reports the handshake status
    When a client C is created with options '{}'
    Then C emits connect with '{"id":"<string>","pingTimeout":"<number>","isAuthenticated":false,"authError":"<absent>"}'
    And the connection state of C is open

  @v1 @v2 @L1 @HS-009 @fixture
  Scenario: The socket id in the connect event is the server's id for the socket
    Given a client C is connected
    When C invokes "conformance.hello" without data
    Then the invoke of C resolves with '{"socketId":"$id.C"}'

  @v1 @v2 @L1 @TR-003 @fixture
  Scenario: The client passes its query option in the connection URL
    When a client C is created with options '{"query":{"conformanceRejectHandshake":"1"},"autoReconnect":false}'
    Then C emits connectAbort with '{}'
    And C does not emit connect within 500 ms

  @v1 @v2 @L1 @HS-001
  Scenario: A client created without autoConnect stays closed until it connects
    Given a client C is created with options '{"autoConnect":false}'
    Then the connection state of C is closed
    When C connects
    Then C emits connect with '{"isAuthenticated":false}'
    And the known-good server receives from C a frame matching '{"event":"#handshake","cid":"<number>"}'
