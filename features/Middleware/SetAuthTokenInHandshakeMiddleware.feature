@fixture @capability-setAuthTokenInHandshake
Feature: setAuthToken is refused while the handshake is pending
  A socket is still connecting while HANDSHAKE_SC middleware decides about its handshake, so
  socket.setAuthToken called there rejects with InvalidActionError "Cannot call setAuthToken before
  completing the handshake" and changes nothing: the handshake response says isAuthenticated false,
  no #setAuthToken is sent, and the socket stays unauthenticated. The fixture (optional capability
  setAuthTokenInHandshake) makes that call with the payload {"username":"alice"} for a connection whose
  URL query has conformanceSetAuthTokenInHandshake=1, allows the handshake anyway, and reports the
  call's outcome through conformance.handshakeSetAuthTokenOutcome.

  @server @v1 @v2 @L4 @MW-009 @S64
  Scenario: The handshake response is unauthenticated and no token is sent
    Given raw connection A is open at "/socketcluster/?conformanceSetAuthTokenInHandshake=1"
    When A sends '{"event":"#handshake","data":{"authToken":null},"cid":$cid}'
    Then A receives '{"rid":"$lastCid","data":{"id":"<string>","isAuthenticated":false},"error":"<absent>"}'
    When A invokes "conformance.handshakeSetAuthTokenOutcome" without data
    Then the invoke of A resolves with '{"error":{"name":"InvalidActionError","message":"Cannot call setAuthToken before completing the handshake"}}'
    When A invokes "conformance.authState" without data
    Then the invoke of A resolves with '{"authState":"unauthenticated","authToken":null}'
    And A receives no frame matching '{"event":"#setAuthToken"}' within 500 ms

  @server @v1 @v2 @L4 @MW-009 @S64
  Scenario: A client connects unauthenticated and without a token
    Given a node client C is connected with options '{"query":{"conformanceSetAuthTokenInHandshake":"1"},"autoReconnect":false}'
    Then C emits connect with '{"isAuthenticated":false,"authToken":null}'
    And the auth state of C is unauthenticated
    And the auth token of C matches 'null'
    And C does not emit authenticate within 500 ms
    When C invokes "conformance.handshakeSetAuthTokenOutcome" without data
    Then the invoke of C resolves with '{"error":{"name":"InvalidActionError","message":"Cannot call setAuthToken before completing the handshake"}}'
