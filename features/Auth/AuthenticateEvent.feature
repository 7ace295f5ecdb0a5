Feature: Authenticate an open connection with #authenticate
  After the handshake a client can present a token at any time with the request
  {"event":"#authenticate","data":"<token>","cid":N}. The cid is mandatory. A valid token is answered
  {"isAuthenticated":true,"authError":null}; a bad token gets an error response followed by
  #removeAuthToken; a token that is not valid yet is answered with data carrying authError.

  Background:
    Given token bob is issued by the server for '{"username":"bob"}'
    And token kate is issued by the server for '{"username":"kate"}'
    And token expired is issued by the server for '{"username":"bob","exp":"$now-60"}'
    And token notyet is issued by the server for '{"username":"bob","nbf":"$now+3600"}'
    And token badsig is the text "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmE"

  Rule: The server answers #authenticate

    @server @fixture @v1 @v2 @L4 @AU-006
    Scenario: A valid token is accepted with an explicit null authError
      Given raw connection A has completed the handshake
      When A authenticates with token bob
      Then the authenticate of A resolves with '{"isAuthenticated":true,"authError":null}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'

    @server @fixture @v1 @v2 @L4 @AU-006
    Scenario: A second #authenticate replaces the user
      Given raw connection A has completed the handshake with token bob
      When A authenticates with token kate
      Then the authenticate of A resolves with '{"isAuthenticated":true,"authError":null}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"authenticated","authToken":{"username":"kate"}}'

    @server @v1 @v2 @L4 @AU-002
    Scenario: No #setAuthToken follows a successful #authenticate
      Given raw connection A has completed the handshake
      When A authenticates with token bob
      Then the authenticate of A resolves
      And A receives no frame matching '{"event":"#setAuthToken"}' within 1000 ms

    @server @fixture @v1 @v2 @L4 @AU-007 @RB-002 @not-v14
    Scenario Outline: A bad token gets an error response, #removeAuthToken, and unauthenticates
      Given raw connection A has completed the handshake with token bob
      When A sends '<request>'
      Then the request of A fails with an error like '{"name":"<name>","message":"<message>","isBadToken":true}'
      And A receives '{"event":"#removeAuthToken"}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated"}'

      Examples:
        | request                                                       | name                  | message                                        |
        | {"event":"#authenticate","data":"$token.badsig","cid":$cid}   | AuthTokenInvalidError | invalid signature                              |
        | {"event":"#authenticate","data":"not-a-token","cid":$cid}     | AuthTokenInvalidError | jwt malformed                                  |
        | {"event":"#authenticate","data":"$token.expired","cid":$cid}  | AuthTokenExpiredError | jwt expired                                    |
        | {"event":"#authenticate","data":null,"cid":$cid}              | AuthTokenInvalidError | jwt must be provided                           |
        | {"event":"#authenticate","cid":$cid}                          | AuthTokenInvalidError | jwt must be provided                           |
        | {"event":"#authenticate","data":12345,"cid":$cid}             | AuthTokenError        | Invalid token format - Token must be a string  |

    @server @v1 @v2 @L4 @AU-004 @not-v14
    Scenario: A token that is not valid yet is answered with authError and not removed
      Given raw connection A has completed the handshake
      When A authenticates with token notyet
      Then the authenticate of A resolves with '{"isAuthenticated":false,"authError":{"name":"AuthTokenNotBeforeError","message":"jwt not active","isBadToken":false}}'
      And A receives no frame matching '{"event":"#removeAuthToken"}' within 1000 ms

    @server @v1 @v2 @L4 @AU-005 @S21 @not-v14
    Scenario: #authenticate without a cid closes the connection with 4008
      Given raw connection A has completed the handshake
      When A sends '{"event":"#authenticate","data":"$token.bob"}'
      Then A is closed with code 4008

  Rule: Clients authenticate with authenticate(token)

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L4 @AU-017 @C14
    Scenario: A client authenticates with a valid token
      Given a client C is connected
      When C authenticates with token bob
      Then the authenticate of C resolves with '{"isAuthenticated":true,"authError":null}'
      And C emits authenticate with '{"signedAuthToken":"$token.bob","authToken":{"username":"bob"}}'
      And the auth state of C is authenticated
      And the signed auth token of C is '"$token.bob"'
      And the known-good server receives from C a frame matching '{"event":"#authenticate","data":"$token.bob","cid":"<number>"}'
      When C invokes "conformance.authState" without data
      Then the invoke of C resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'

    @client @v1 @v2 @L4 @AU-017 @C7 @C17
    Scenario: Switching user while authenticated emits authenticate but no state change
      Given a client C is connected with options '{"storedToken":"$token.bob"}'
      When C authenticates with token kate
      Then the authenticate of C resolves with '{"isAuthenticated":true}'
      And C emits authenticate with '{"authToken":{"username":"bob"}}'
      And C emits authenticate with '{"authToken":{"username":"kate"}}'
      And the auth state of C is authenticated
      And the auth token of C matches '{"username":"kate"}'
      And C has emitted, in order, "authStateChange"

    @client @v1 @v2 @L4 @AU-018 @C16
    Scenario: A refused token rejects authenticate and unauthenticates the client
      Given a client C is connected with options '{"storedToken":"$token.bob"}'
      When C authenticates with token badsig
      Then the authenticate of C fails with "AuthTokenInvalidError"
      And the auth state of C becomes unauthenticated
      And C emits authStateChange with '{"oldAuthState":"unauthenticated","newAuthState":"authenticated"}'
      And C emits authStateChange with '{"oldAuthState":"authenticated","newAuthState":"unauthenticated"}'
      And C has emitted, in order, "authStateChange, authStateChange"

    @client @v1 @v2 @L4 @AU-017 @C12 @not-v14-client
    Scenario: A token store that fails to save does not change the outcome of authenticate
      Given a client C is connected with options '{"storedToken":"$token.bob","failingTokenStore":true}'
      When C authenticates with token kate
      Then the authenticate of C resolves with '{"isAuthenticated":true,"authError":null}'
      And the auth state of C is authenticated
      And the auth token of C matches '{"username":"kate"}'
      And the signed auth token of C is '"$token.kate"'
      And C emits error with '{"name":"FailedToSaveTokenError","message":"Failed to save token"}'

    @client @v1 @v2 @L4 @AU-017
    Scenario: A token that is not valid yet leaves the client unauthenticated
      Given a client C is connected
      When C authenticates with token notyet
      Then the authenticate of C resolves with '{"isAuthenticated":false,"authError":{"name":"AuthTokenNotBeforeError"}}'
      And the auth state of C is unauthenticated
