Feature: The server issues auth tokens
  socket.setAuthToken(payload) on the server signs a JWT (HS256 by default) whose payload is the given
  payload plus iat and exp, authenticates the socket, and sends {"event":"#setAuthToken","data":{"token":T}}
  as a transmit. The client stores the token, decodes its payload and becomes authenticated. A payload
  that cannot be signed closes the connection with 4002. The fixture's conformance.login and
  conformance.setAuthToken call setAuthToken on the calling socket.

  Rule: The server signs and sends tokens

    @server @fixture @v1 @v2 @L4 @AU-008 @S9 @S10
    Scenario: Login sends #setAuthToken as a transmit and authenticates the socket
      Given raw connection A has completed the handshake
      When A invokes "conformance.login" with '{"username":"bob"}'
      Then A receives exactly '{"event":"#setAuthToken","data":{"token":"<string>"}}'
      And the invoke of A resolves with '"<string>"'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'

    @server @fixture @v1 @v2 @L4 @AU-009 @S12
    Scenario: An issued token carries the payload plus numeric iat and exp
      Given raw connection A has completed the handshake
      When A invokes "conformance.setAuthToken" with '{"username":"bob","role":"tester"}'
      Then A receives exactly '{"event":"#setAuthToken","data":{"token":"<jwt>"}}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authToken":{"username":"bob","role":"tester","iat":"<number>","exp":"<number>"}}'

    @server @fixture @v1 @v2 @L4 @AU-009 @S13 @S14
    Scenario: An exp claim in the payload is kept
      Given raw connection A has completed the handshake
      When A invokes "conformance.setAuthToken" with '{"username":"bob","exp":4102444800}'
      Then A receives exactly '{"event":"#setAuthToken","data":{"token":"<jwt>"}}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authToken":{"username":"bob","exp":4102444800,"iat":"<number>"}}'

    @server @fixture @v1 @v2 @L4 @AU-010 @S15
    Scenario: A payload that cannot be signed closes the connection with 4002
      Given raw connection A has completed the handshake
      When A invokes "conformance.setAuthToken" with '{"username":"bob","exp":"never"}'
      Then A is closed with code 4002
      And A receives no frame matching '{"event":"#setAuthToken"}' within 200 ms
      And the invoke of A gets no response within 200 ms

  Rule: Clients store issued tokens

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L4 @AU-014 @S9 @S10 @C8 @C9 @C14
    Scenario: A client that logs in is authenticated with the decoded token
      Given a client C is connected
      When C invokes "conformance.login" with '{"username":"bob"}'
      Then C emits authStateChange with '{"oldAuthState":"unauthenticated","newAuthState":"authenticated"}'
      And C emits authenticate with '{"signedAuthToken":"<string>","authToken":{"username":"bob"}}'
      And the auth state of C is authenticated
      And the auth token of C matches '{"username":"bob","iat":"<number>","exp":"<number>"}'

    @client @fixture @v1 @v2 @L4 @AU-014 @S13 @S14
    Scenario: A client decodes the exp claim of an issued token
      Given a client C is connected
      When C invokes "conformance.setAuthToken" with '{"username":"bob","exp":4102444800}'
      Then C emits authenticate with '{"authToken":{"username":"bob","exp":4102444800}}'
      And the auth token of C matches '{"username":"bob","exp":4102444800,"iat":"<number>"}'

    @client @fixture @v1 @v2 @L4 @AU-015 @S11 @C10
    Scenario: A logged-in client is authenticated again after reconnecting
      Given a client C is connected
      When C invokes "conformance.login" with '{"username":"bob"}'
      And C emits authenticate with '{"authToken":{"username":"bob"}}'
      And C disconnects
      And C connects
      Then C emits connect with '{"isAuthenticated":true,"authError":"<absent>"}'
      And the auth token of C matches '{"username":"bob"}'
      When C invokes "conformance.authState" without data
      Then the invoke of C resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'

    @client @fixture @v1 @v2 @L1 @EV-019 @CC-003 @S15 @not-v14-client
    Scenario: A client whose token cannot be signed sees its request fail and a 4002 close
      Given a client C is connected with options '{"autoReconnect":false}'
      When C invokes "conformance.setAuthToken" with '{"username":"bob","exp":"never"}'
      Then the invoke of C fails with "BadConnectionError"
      And C emits close with '{"code":4002,"reason":"Server failed to sign auth token"}'
      And C does not emit authenticate within 500 ms
      And the auth state of C is unauthenticated
