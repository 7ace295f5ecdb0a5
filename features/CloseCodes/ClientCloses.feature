@client
Feature: Close codes as the client reports and sends them
  When the server closes a connection the client emits disconnect (or connectAbort before the
  handshake) and close with the code and the reason; an empty reason on the wire is replaced by the
  standard text of the code. For codes other than 1000 and 1001 an error event (SocketProtocolError)
  follows. disconnect(code, reason) on the client sends that code and reason in the close frame.

  Background:
    Given the known-good server is running

  @fixture @v1 @v2 @L1 @CC-003 @S21 @S25 @not-v14-client
  Scenario Outline: An empty close reason is replaced by the standard text of the code
    Given a client C is connected with options '{"autoReconnect":false}'
    When C invokes "conformance.disconnect" with '{"code":<code>}'
    Then C emits disconnect with '{"code":<code>,"reason":"<reason>"}'
    And C emits close with '{"code":<code>,"reason":"<reason>"}'

    Examples:
      | code | reason                                                  |
      | 4001 | Client pong timed out                                   |
      | 4005 | Did not receive #handshake from client before timeout   |
      | 4008 | Server rejected handshake from client                   |
      | 4009 | Server received a message before the client handshake   |

  @fixture @v1 @v2 @L1 @CC-004 @not-v14
  Scenario: A server-chosen code and reason reach the client, followed by a SocketProtocolError
    Given a client C is connected with options '{"autoReconnect":false}'
    When C invokes "conformance.disconnect" with '{"code":4100,"reason":"x"}'
    Then C emits disconnect with '{"code":4100,"reason":"x"}'
    And C emits close with '{"code":4100,"reason":"x"}'
    And C emits error with '{"name":"SocketProtocolError","code":4100,"message":"Socket connection closed with status code 4100 and reason: x"}'
    And C has emitted, in order, "connect, disconnect, close"

  @fixture @v1 @v2 @L1 @CC-004 @not-v14
  Scenario: A normal close by the server raises no error
    Given a client C is connected
    When C invokes "conformance.disconnect" with '{"code":1000,"reason":"bye"}'
    Then C emits disconnect with '{"code":1000,"reason":"bye"}'
    And C emits close with '{"code":1000,"reason":"bye"}'
    And C does not emit error within 500 ms

  @v1 @v2 @L1 @CC-005 @S31 @S33 @not-v14-client
  Scenario: The client's disconnect sends its code and reason in the close frame
    Given a client C is connected with options '{"autoReconnect":false}'
    When C disconnects with code 4445 and reason "Disconnect after handshake"
    Then C emits disconnect with '{"code":4445,"reason":"Disconnect after handshake"}'
    And C emits close with '{"code":4445,"reason":"Disconnect after handshake"}'
    And the known-good server sees C close with code 4445 and reason "Disconnect after handshake"
    And the connection state of C is closed

  @v1 @v2 @L1 @CC-006 @S30 @S32 @C33
  Scenario: Disconnecting before the handshake completes is a connectAbort
    Given a client C is created with options '{"autoConnect":false,"autoReconnect":false}'
    When C connects and at once disconnects with code 4444 and reason "Disconnect before handshake"
    Then C does not emit disconnect within 500 ms
    And C does not emit connect within 10 ms
    And C emits connectAbort with '{"code":4444,"reason":"Disconnect before handshake"}'
    And C emits close with '{"code":4444,"reason":"Disconnect before handshake"}'
