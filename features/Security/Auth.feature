@server @security
Feature: Hostile tokens
  Tokens the server never signed, tokens out of their validity window, oversized tokens and tokens sent before the
  handshake. Each case states its outcome (an error, authError in the handshake response, or a close) and ends with
  the check that the server still serves a new client and the attacker's neighbour N is unaffected (RB-010).

  Background:
    Given raw connection N has completed the handshake

  Rule: Forged tokens are refused

    @fixture @v1 @v2 @L4 @RB-010 @RB-040 @AU-007
    Scenario Outline: #authenticate with a token forged with <method> fails with AuthTokenInvalidError
      Given token forged is forged with "<method>" for '{"username":"mallory"}'
      And raw connection A has completed the handshake
      When A sends '{"event":"#authenticate","data":"$token.forged","cid":$cid}'
      Then the request of A gets the outcome "error AuthTokenInvalidError"
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated","authToken":null}'
      And the server still serves a new client and N is unaffected

      Examples:
        | method      |
        | alg none    |
        | another key |
        | alg RS256   |
        | alg HS512   |

    @fixture @v1 @v2 @L4 @RB-010 @RB-040 @AU-003 @not-v14
    Scenario Outline: A handshake token forged with <method> gives authError with isBadToken true
      Given token forged is forged with "<method>" for '{"username":"mallory"}'
      And raw connection A is open
      When A sends '{"event":"#handshake","data":{"authToken":"$token.forged"},"cid":$cid}'
      Then A next receives '{"rid":"$lastCid","data":{"isAuthenticated":false,"authError":{"name":"AuthTokenInvalidError","isBadToken":true}}}'
      And A stays open for 300 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | method      |
        | alg none    |
        | another key |
        | alg RS256   |

  Rule: Tokens outside their validity window

    @fixture @v1 @v2 @L4 @RB-010 @RB-041 @AU-004
    Scenario Outline: #authenticate with a token <case> fails with <name>
      Given token t is issued by the server for '<payload>'
      And raw connection A has completed the handshake
      When A sends '{"event":"#authenticate","data":"$token.t","cid":$cid}'
      Then the request of A gets the outcome "<outcome>"
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated","authToken":null}'
      And the server still serves a new client and N is unaffected

      Examples:
        | case              | payload                                   | name                    | outcome                           |
        | expired           | {"username":"bob","exp":"$now-60"}        | AuthTokenExpiredError   | error AuthTokenExpiredError       |
        | not yet valid     | {"username":"bob","nbf":"$now+3600"}      | AuthTokenNotBeforeError | authError AuthTokenNotBeforeError |

  Rule: Oversized and misplaced tokens

    @fixture @v1 @v2 @L4 @RB-010 @RB-042 @exclusive
    Scenario: #authenticate with a 500 000-character token fails and the socket stays open
      Given token huge is forged with a payload of 500000 characters
      And raw connection A has completed the handshake
      When A sends '{"event":"#authenticate","data":"$token.huge","cid":$cid}'
      Then the request of A gets the outcome "error AuthTokenInvalidError"
      And A stays open for 300 ms
      And the server still serves a new client and N is unaffected

    @fixture @v1 @v2 @L4 @RB-010 @RB-042 @not-v14 @exclusive
    Scenario: A 500 000-character handshake token gives authError and the connection is established
      Given token huge is forged with a payload of 500000 characters
      And raw connection A is open
      When A sends '{"event":"#handshake","data":{"authToken":"$token.huge"},"cid":$cid}'
      Then A next receives '{"rid":"$lastCid","data":{"isAuthenticated":false,"authError":{"name":"AuthTokenInvalidError","isBadToken":true}}}'
      And the server still serves a new client and N is unaffected

    @v1 @v2 @L1 @RB-010 @RB-043 @HS-006
    Scenario: #authenticate before the handshake closes the socket with 4009
      Given token forged is forged with "another key" for '{"username":"mallory"}'
      And raw connection A is open
      When A sends '{"event":"#authenticate","data":"$token.forged","cid":$cid}'
      Then A is closed with code 4009
      And the server still serves a new client and N is unaffected

    @fixture @v1 @v2 @L4 @RB-010 @RB-044 @AU-002
    Scenario: A valid token after a forged one authenticates: a refusal leaves no state behind
      Given token forged is forged with "alg none" for '{"username":"mallory"}'
      And token bob is issued by the server for '{"username":"bob"}'
      And raw connection A has completed the handshake
      When A sends '{"event":"#authenticate","data":"$token.forged","cid":$cid}'
      Then the request of A gets the outcome "error AuthTokenInvalidError"
      When A sends '{"event":"#authenticate","data":"$token.bob","cid":$cid}'
      Then the request of A gets the outcome "ok"
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'
      And the server still serves a new client and N is unaffected
