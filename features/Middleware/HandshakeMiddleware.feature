@fixture
Feature: Handshake middleware rejects a handshake
  Server middleware can refuse a connection at the handshake. The server then answers #handshake with an
  error that carries statusCode (4008 unless the middleware chose another code) and closes the
  connection with that code. The client closes with the statusCode (or 4003 when there is none) and
  reports connectAbort, never connect. The fixture refuses handshakes whose URL query contains
  conformanceRejectHandshake=1, blocking without an error of its own.

  @server @v1 @v2 @L1 @MW-001 @S60 @S61 @not-v14
  Scenario: A refused handshake gets an error response with statusCode 4008, then a 4008 close
    Given raw connection A is open at "/socketcluster/?conformanceRejectHandshake=1"
    When A sends '{"event":"#handshake","data":{"authToken":null},"cid":$cid}'
    Then A receives exactly '{"rid":"$lastCid","error":{"name":"SilentMiddlewareBlockedError","message":"The handshakeSC AGAction was blocked by handshake middleware","type":"handshake","statusCode":4008}}'
    And A is closed with code 4008

  @client @v1 @v2 @L1 @HS-010 @CC-006 @S60 @S61 @S62 @not-v14
  Scenario: A client whose handshake is refused closes with the statusCode and aborts
    Given the known-good server is running
    When a client C is created with options '{"query":{"conformanceRejectHandshake":"1"},"autoReconnect":false}'
    Then C does not emit connect within 1000 ms
    And C does not emit disconnect within 10 ms
    And C emits error with '{"name":"SilentMiddlewareBlockedError","message":"The handshakeSC AGAction was blocked by handshake middleware"}'
    And C emits connectAbort with '{"code":4008,"reason":"SilentMiddlewareBlockedError: The handshakeSC AGAction was blocked by handshake middleware"}'
    And C emits close with '{"code":4008}'
    And C emits error with '{"name":"SocketProtocolError","code":4008}'
    And C has emitted, in order, "error, connectAbort, close, error"
    And the connection state of C is closed

  # The known-good server refuses handshakes whose query has conformanceHandshakeError=<statusCode> with a
  # ConformanceHandshakeError carrying that statusCode, and with conformanceHandshakeError=none with one carrying no
  # statusCode; it always closes with its own 4008. The client must take its code from the error (4003 without one).
  @client @v1 @v2 @L1 @HS-010 @S62 @not-v14
  Scenario Outline: A client takes its close code from the handshake error's statusCode, or 4003 without one
    Given the known-good server is running
    When a client C is created with options '{"query":{"conformanceHandshakeError":"<query>"},"autoReconnect":false}'
    Then C does not emit connect within 1000 ms
    And C does not emit disconnect within 10 ms
    And C emits error with '{"name":"ConformanceHandshakeError","message":"Handshake refused by the fixture (conformanceHandshakeError=<query>)"}'
    And C emits connectAbort with '{"code":<code>,"reason":"ConformanceHandshakeError: Handshake refused by the fixture (conformanceHandshakeError=<query>)"}'
    And C emits close with '{"code":<code>}'
    And C emits error with '{"name":"SocketProtocolError","code":<code>}'
    And C has emitted, in order, "error, connectAbort, close, error"
    And the connection state of C is closed

    Examples:
      | query | code |
      | 4321  | 4321 |
      | none  | 4003 |
