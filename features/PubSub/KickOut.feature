Feature: Kick a socket out of a channel
  The server can remove a socket from a channel without disconnecting it: socket.kickOut(channel,
  message) sends {"event":"#kickOut","data":{"channel":...,"message":...}} (message only when given) and
  ends the membership. The client marks the channel unsubscribed and does not answer with #unsubscribe.
  The fixture procedure conformance.kickOut kicks the calling socket.

  Rule: The server kicks a socket out of a channel

    @server @fixture @v1 @v2 @L3 @PS-016
    Scenario Outline: The server sends #kickOut and ends the membership
      Given raw connection A has completed the handshake
      And A is subscribed to "kicked-out"
      When A invokes "conformance.kickOut" with '<request>'
      Then A receives exactly '<frame>'
      And the invoke of A resolves without data
      When A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '[]'
      When A invokes "conformance.publish" with '{"channel":"kicked-out","data":"after kick"}'
      Then A receives no publication on "kicked-out" within 500 ms
      And A stays open for 500 ms

      Examples:
        | request                                | frame                                                                               |
        | {"channel":"kicked-out","message":"bye"}      | {"event":"#kickOut","data":{"channel":"kicked-out","message":"bye"}} |
        | {"channel":"kicked-out"}                      | {"event":"#kickOut","data":{"channel":"kicked-out"}}                 |

  Rule: Clients handle being kicked out

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L3 @PS-021
    Scenario: A kicked-out client drops the channel without answering
      Given a client C is connected
      And C is subscribed to "foo"
      When C invokes "conformance.kickOut" with '{"channel":"foo","message":"bye"}'
      Then C emits kickOut with '{"channel":"foo","message":"bye"}'
      And channel "foo" of C becomes unsubscribed
      And the known-good server receives from C no frame matching '{"event":"#unsubscribe"}' within 500 ms
      When C invokes "conformance.publish" with '{"channel":"foo","data":"after kick"}'
      Then C receives no publication on "foo" within 500 ms
      And the connection state of C is open

    @client @fixture @v1 @v2 @L3 @PS-021
    Scenario: A kick-out without a message has no message
      Given a client C is connected
      And C is subscribed to "foo"
      When C invokes "conformance.kickOut" with '{"channel":"foo"}'
      Then C emits kickOut with '{"channel":"foo","message":"<absent>"}'
      And channel "foo" of C becomes unsubscribed
