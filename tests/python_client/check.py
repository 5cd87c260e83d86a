"""The official Omnimessage Python client (`pip install messente-api`), unchanged, against
`smsctl gateway serve`. Run by tests/it/gateway.rs; set up by scripts/python-client-check.sh.

Environment: GATEWAY_URL (http://ADDR/v1), KEY_ID, KEY_SECRET. The key must allow 127.0.0.1
and have a default sender. Records 7 messages (5 single sends, 2 of the 3 bulk items); prints
one line per check and "OK" at the end.
"""

import datetime
import os
import sys

import messente_api
from messente_api import (
    SMS,
    ApiClient,
    BulkMessagingApi,
    BulkOmnimessage,
    Configuration,
    DeliveryReportApi,
    ErrorOmnichannel,
    Omnimessage,
    OmnimessageApi,
    OmnimessageMessagesInner,
    OmniMessageCreateSuccessResponse,
    Viber,
)
from messente_api.exceptions import ApiException


def main() -> int:
    config = Configuration(
        host=os.environ["GATEWAY_URL"],
        username=os.environ["KEY_ID"],
        password=os.environ["KEY_SECRET"],
    )
    print(f"messente-api {messente_api.__version__} -> {config.host}")
    with ApiClient(config) as client:
        api = OmnimessageApi(client)

        # 1. Explicit sender; the client's own autoconvert spelling ("full").
        sms = SMS(sender="PyClient", text="Hello “from” messente-api", autoconvert="full")
        sent = api.send_omnimessage(Omnimessage(to="+3725551234", messages=[OmnimessageMessagesInner(sms)]))
        assert sent.to == "+3725551234", sent
        assert sent.messages[0].sender == "PyClient", sent
        assert sent.messages[0].channel == "sms", sent
        print(f"send_omnimessage: 201 parsed, omnimessage_id={sent.omnimessage_id}")

        # 2. No sender: the key's default fills it, and the client still parses a sender.
        sent2 = api.send_omnimessage(
            Omnimessage(to="+3725551234", messages=[OmnimessageMessagesInner(SMS(text="No sender given"))])
        )
        assert sent2.messages[0].sender, sent2
        print(f"send_omnimessage without sender: sender={sent2.messages[0].sender}")

        # 3. The delivery report, as the SDK retrieves it.
        report = DeliveryReportApi(client).retrieve_delivery_report(sent.omnimessage_id)
        status = report.statuses[0]
        assert report.omnimessage_id == sent.omnimessage_id, report
        assert status.status.value == "DELIVRD" and status.message_id == sent.messages[0].message_id, report
        print(f"retrieve_delivery_report: {status.status.value} at {status.timestamp.isoformat()}")

        # 4. A refusal surfaces as the client's ApiException with the Omnimessage error body.
        try:
            api.send_omnimessage(Omnimessage(to="+0", messages=[OmnimessageMessagesInner(SMS(text="x"))]))
        except ApiException as e:
            assert e.status == 400 and '"payload[to]"' in e.body, (e.status, e.body)
            print(f"invalid 'to': ApiException {e.status} {e.body}")
        else:
            raise AssertionError("an invalid 'to' was accepted")

        reports = DeliveryReportApi(client)

        # 5. Scheduled an hour ahead: status null until then; cancel is 202, then 404.
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        scheduled = api.send_omnimessage(
            Omnimessage(
                to="+3725551234",
                messages=[OmnimessageMessagesInner(SMS(text="Later", validity=120))],
                time_to_send=later,
                priority="high",
                text_store="sha256",
            )
        )
        pending = reports.retrieve_delivery_report(scheduled.omnimessage_id)
        assert pending.statuses[0].status is None and pending.statuses[0].err is None, pending
        print(f"retrieve_delivery_report before time_to_send: status={pending.statuses[0].status}")
        cancelled = api.cancel_scheduled_message(scheduled.omnimessage_id)
        assert cancelled == {}, cancelled
        print(f"cancel_scheduled_message: 202 {cancelled}")
        try:
            api.cancel_scheduled_message(scheduled.omnimessage_id)
        except ApiException as e:
            assert e.status == 404, (e.status, e.body)
            print(f"cancel_scheduled_message again: ApiException {e.status}")
        else:
            raise AssertionError("a cancelled message was cancelled twice")

        # 6. Bulk: a result per item, a success or an error body.
        bulk = BulkMessagingApi(client).send_bulk_omnimessage(
            BulkOmnimessage(
                messages=[
                    Omnimessage(to="+3725551234", messages=[OmnimessageMessagesInner(SMS(text="Bulk one"))]),
                    Omnimessage(to="+0", messages=[OmnimessageMessagesInner(SMS(text="Bulk bad"))]),
                    Omnimessage(to="+3725551235", messages=[OmnimessageMessagesInner(SMS(text="Bulk three", ttl=60))]),
                ]
            )
        )
        kinds = [type(item.actual_instance).__name__ for item in bulk.messages]
        assert kinds == ["OmniMessageCreateSuccessResponse", "ErrorOmnichannel", "OmniMessageCreateSuccessResponse"], kinds
        assert isinstance(bulk.messages[1].actual_instance, ErrorOmnichannel)
        assert bulk.messages[1].actual_instance.errors[0].source == "payload[to]", bulk
        first = bulk.messages[0].actual_instance
        assert isinstance(first, OmniMessageCreateSuccessResponse) and first.messages[0].sender, first
        print(f"send_bulk_omnimessage: {kinds}")

        # 7. Viber first, SMS as the fallback: both entries answered, Viber reported undelivered.
        fallback = api.send_omnimessage(
            Omnimessage(
                to="+3725551234",
                messages=[
                    OmnimessageMessagesInner(Viber(text="Viber first", sender="ViberShop")),
                    OmnimessageMessagesInner(SMS(text="SMS fallback")),
                ],
            )
        )
        assert [m.channel.value for m in fallback.messages] == ["viber", "sms"], fallback
        statuses = reports.retrieve_delivery_report(fallback.omnimessage_id).statuses
        assert [(s.channel.value, s.status.value) for s in statuses] == [("viber", "UNDELIV"), ("sms", "DELIVRD")], statuses
        print("send_omnimessage with a Viber entry: viber UNDELIV, sms DELIVRD")

        # 8. A fault-injection recipient: FAILED, err 9, with the spec's error text.
        failed = api.send_omnimessage(
            Omnimessage(to="+447700900002", messages=[OmnimessageMessagesInner(SMS(text="fails"))])
        )
        last = reports.retrieve_delivery_report(failed.omnimessage_id).statuses[0]
        assert (last.status.value, last.err.value, last.error) == ("FAILED", 9, "Unroutable"), last
        print(f"retrieve_delivery_report for +447700900002: {last.status.value} err {last.err.value} ({last.error})")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
