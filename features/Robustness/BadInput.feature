@server
Feature: Bad input does not break the server
  A server meets malformed frames, wrong types and abrupt disconnects. After the handshake, a frame that
  is not a packet (not JSON, a scalar, an object without event or rid) is a "raw" message: it gets no
  reply and the connection keeps working. Malformed reserved events get error responses. A client that
  disappears at any moment affects nobody else.

  @fixture @v1 @v2 @L1 @RB-001
  Scenario Outline: A message that is not a packet is ignored and the connection keeps working
    Given raw connection A has completed the handshake
    When A sends '<frame>'
    Then A receives no frame matching '"<any>"' within 300 ms
    And A stays open for 500 ms
    When A invokes "conformance.echo" with '"alive"'
    Then the invoke of A resolves with '"alive"'

    Examples:
      | frame                   |
      | hello                   |
      | {not json               |
      | [1,2                    |
      | 123                     |
      | "just a string"         |
      | null                    |
      | true                    |
      | []                      |
      | [1,"two",null]          |
      | {}                      |
      | {"foo":1}               |
      | {"event":123,"data":1}  |
      | {"event":null,"cid":5}  |
      | {"data":"no event"}     |

  @fixture @v1 @v2 @L1 @RB-004
  Scenario: A binary frame that is not a packet is ignored
    Given raw connection A has completed the handshake
    When A sends the binary frame 'garbage'
    And A sends the binary frame ''
    Then A receives no frame matching '"<any>"' within 300 ms
    When A invokes "conformance.echo" with '"alive"'
    Then the invoke of A resolves with '"alive"'

  # The L1 form of RB-002: any error response will do (the exact names are L3/L4 requirements, checked below),
  # so a server that implements neither pub/sub nor auth can pass it too.
  @v1 @v2 @L1 @RB-002
  Scenario Outline: Malformed reserved requests get an error response and the server keeps serving
    Given raw connection A has completed the handshake
    When A sends '<request>'
    Then the request of A fails with an error like '{"name":"<string>","message":"<string>"}'
    And A stays open for 500 ms
    # The server keeps serving: a new connection completes its handshake (an openness sample right after it would check nothing).
    And raw connection B has completed the handshake

    Examples:
      | request                                                  |
      | {"event":"#subscribe","data":null,"cid":$cid}            |
      | {"event":"#unsubscribe","data":[null],"cid":$cid}        |
      | {"event":"#publish","data":{"channel":{}},"cid":$cid}    |
      | {"event":"#authenticate","data":"not-a-token","cid":$cid} |

  @fixture @v1 @v2 @L3 @RB-002 @PS-003 @PS-007 @PS-010 @S46 @not-v14
  Scenario Outline: Malformed pub/sub requests get InvalidActionError and the server keeps running
    Given raw connection A has completed the handshake
    When A sends '<request>'
    Then the request of A fails with "InvalidActionError" saying "<message>"
    And A stays open for 500 ms
    When A invokes "conformance.echo" with '"alive"'
    Then the invoke of A resolves with '"alive"'

    Examples:
      | request                                                     | message                                  |
      | {"event":"#subscribe","data":[null],"cid":$cid}             | Subscribe channel name was malformatted  |
      | {"event":"#subscribe","data":{"channel":{}},"cid":$cid}     | Subscribe channel name was malformatted  |
      | {"event":"#subscribe","data":null,"cid":$cid}               | Subscribe channel name was malformatted  |
      | {"event":"#subscribe","data":{"channel":42},"cid":$cid}     | Subscribe channel name was malformatted  |
      | {"event":"#subscribe","cid":$cid}                           | Subscribe channel name was malformatted  |
      | {"event":"#unsubscribe","data":[null],"cid":$cid}           | Unsubscribe channel name was malformatted |
      | {"event":"#unsubscribe","data":{"channel":"x"},"cid":$cid}  | Unsubscribe channel name was malformatted |
      | {"event":"#publish","data":null,"cid":$cid}                 | Publish channel name was malformatted    |
      | {"event":"#publish","data":{"channel":{}},"cid":$cid}       | Publish channel name was malformatted    |
      | {"event":"#publish","data":{"channel":null},"cid":$cid}     | Publish channel name was malformatted    |

  @fixture @v1 @v2 @L1 @RB-003
  Scenario: A client that disappears with requests in flight does not affect others
    Given raw connection A has completed the handshake
    And raw connection B has completed the handshake
    When A invokes "conformance.invoke" with '{"procedure":"clientProc","data":1}'
    And A invokes "conformance.doesNotExist" with '{}'
    And A disconnects with code 4446 and reason "gone"
    And B invokes "conformance.echo" with '"unaffected"'
    Then the invoke of B resolves with '"unaffected"'

  @fixture @v1 @v2 @L1 @RB-003
  Scenario: A client that closes right after sending a request does not affect others
    Given raw connection B has completed the handshake
    And raw connection A has completed the handshake
    When A invokes "customProc" with '{"foo":"bar"}'
    And A disconnects
    And raw connection C is open
    And C disconnects
    And B invokes "customProc" with '{"foo":"bar"}'
    Then the invoke of B resolves with '"Success"'
