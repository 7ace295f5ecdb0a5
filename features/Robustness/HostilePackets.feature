@server @robustness
Feature: Hostile packets
  Well-formed frames carrying packets no official client sends: reused and out-of-range cids, responses nobody asked
  for, huge event names, and every reserved event with every wrong data type. Each case states its outcome (an error
  response, no response, or a close) and ends with the check that the server still serves a new client and the
  attacker's neighbour N is unaffected (RB-010).

  Background:
    Given raw connection N has completed the handshake

  Rule: cids

    @fixture @v1 @v2 @L1 @RB-010 @RB-020
    Scenario: A reused cid is answered once per request
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":"first","cid":77}'
      And A sends '{"event":"conformance.echo","data":"second","cid":77}'
      Then A receives '{"rid":77,"data":"first"}'
      And A receives '{"rid":77,"data":"second"}'
      And the server still serves a new client and N is unaffected

    @fixture @v1 @v2 @L1 @RB-010 @RB-021
    Scenario Outline: A request with a cid outside the positive safe integers does not break the socket (<case>)
      Given raw connection A has completed the handshake
      When A sends '{"event":"conformance.echo","data":"odd cid","cid":<cid>}'
      Then A stays open for 500 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | case                  | cid                  |
        | 2^53 + 1              | 9007199254740993     |
        | 2^63                  | 9223372036854775808  |
        | 1e300                 | 1e300                |
        | negative              | -5                   |
        | zero                  | 0                    |
        | fractional            | 1.5                  |

    @fixture @v1 @v2 @L1 @RB-010 @RB-022 @EV-009
    Scenario Outline: A response the server never asked for is ignored (<case>)
      Given raw connection A has completed the handshake
      When A sends '<frame>'
      Then A receives no frame matching '"<any>"' within 300 ms
      And A stays open for 300 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | case                  | frame                                         |
        | unknown rid           | {"rid":424242,"data":"unsolicited"}           |
        | unknown rid, error    | {"rid":424243,"error":{"name":"X","message":"y"}} |
        | rid 0                 | {"rid":0,"data":1}                            |
        | negative rid          | {"rid":-1,"data":1}                           |
        | a batch of five       | [{"rid":1},{"rid":2},{"rid":3},{"rid":4},{"rid":5}] |

  Rule: Event names

    @fixture @v1 @v2 @L1 @RB-010 @RB-023 @exclusive
    Scenario Outline: An event with a huge name gets no response (<case>)
      Given raw connection A has completed the handshake
      When A sends '<frame>' where $big is "e" repeated <length> times
      Then A receives no frame matching '"<any>"' within 500 ms
      And A stays open for 300 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | case                     | frame                                      | length |
        | transmit, 100 000 chars  | {"event":"$big","data":1}                  | 100000 |
        | invoke, 100 000 chars    | {"event":"$big","data":1,"cid":$cid}       | 100000 |
        | '#' name, 500 000 chars  | {"event":"#$big","data":1}                 | 500000 |

  Rule: Reserved events with wrong data types

    # Outcomes as socketcluster-server 20.0.1 gives them; "error" is any error response, "ignored" no response within
    # 500 ms. A second #handshake is undefined (HS-013): the official server ignores it, the C# server answers
    # InvalidActionError. The socket stays open either way.
    @v2 @L1 @RB-010 @RB-024 @RB-002
    Scenario Outline: <event> with <type> data: <outcome>
      Given raw connection A has completed the handshake
      When A sends '{"event":"<event>","data":<data>,"cid":$cid}'
      Then the request of A gets the outcome "<outcome>"
      And A stays open for 300 ms
      And the server still serves a new client and N is unaffected

      Examples:
        | event            | type           | data              | outcome |
        | #subscribe       | a number       | 42                | error   |
        | #subscribe       | a boolean      | true              | error   |
        | #subscribe       | an array       | ["a"]             | error   |
        | #subscribe       | an empty object| {}                | error   |
        | #subscribe       | a string       | "chan"            | error   |
        | #unsubscribe     | a number       | 42                | error   |
        | #unsubscribe     | a boolean      | false             | error   |
        | #unsubscribe     | an object      | {"channel":1}     | error   |
        | #unsubscribe     | null           | null              | error   |
        | #publish         | a number       | 42                | error   |
        | #publish         | a string       | "chan"            | error   |
        | #publish         | an array       | ["chan",1]        | error   |
        | #publish         | a boolean      | true              | error   |
        | #authenticate    | a number       | 42                | error   |
        | #authenticate    | an object      | {"token":"x"}     | error   |
        | #authenticate    | an array       | ["x"]             | error   |
        | #authenticate    | null           | null              | error   |
        | #authenticate    | a boolean      | true              | error   |
        | #removeAuthToken | a number       | 42                | ignored |
        | #removeAuthToken | an object      | {"x":1}           | ignored |
        | #handshake       | a number       | 42                | error or ignored |
        | #handshake       | a string       | "x"               | error or ignored |
        | #kickOut         | an object      | {"channel":"c"}   | ignored |
        | #setAuthToken    | a string       | "x"               | ignored |
