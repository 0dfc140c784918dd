"""Hand-written training utterances for speaker attribution (general customer-service language).

Written for Groundswell (no third-party text): support tickets, chats, sales/success calls and assistant bots.
Kept domain-neutral on purpose so the model learns *how* each side talks, not *what* a dataset talks about.
"""

from __future__ import annotations

__all__ = ["AGENT_LINES", "BOT_LINES", "CUSTOMER_LINES"]


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


CUSTOMER_LINES = _lines(
    """
    Hi, I can't log in to my account since this morning.
    The export keeps failing every night and we lose the data.
    We keep losing the export every night.
    My dashboard is blank after the update.
    I was charged twice this month, can you fix it?
    I need a refund for the last invoice.
    Our team can't access the shared workspace anymore.
    It's really frustrating, this is the third time it broke.
    I've tried clearing the cache but it still doesn't work.
    We tried restarting it and nothing changed.
    Why is the sync so slow lately?
    I want to cancel my subscription.
    I would like to change my billing address.
    Can you tell me how to reset my password?
    I never received the confirmation email.
    The app crashes whenever I open the reports page.
    Honestly we are thinking about switching to another tool.
    Our renewal is next month and pricing is a concern for us.
    We really need SSO before we can roll this out.
    I'd love a dark mode, my eyes hurt at night.
    It would be great if we could schedule exports.
    Thanks, that fixed it!
    Thank you so much for your help.
    Thanks, that's all I needed.
    No, that's everything, thanks.
    Yes, that's correct.
    Yes please.
    Sure, go ahead.
    That works for me.
    No, I don't think so.
    Okay, sounds good.
    Got it, thanks.
    Yes, that's right.
    Nope, that's it.
    My order still hasn't arrived.
    I got the wrong size and need to return it.
    I bought it last week and it's already broken.
    My username is jdoe and my email is on file.
    I'm on the enterprise plan.
    We have about 200 users on our account.
    The integration with our CRM stopped syncing on Monday.
    Is there a way to export everything to CSV?
    How much does the premium plan cost?
    I'm looking for a cheaper option.
    I want to find a place to stay for the weekend.
    I need to make a transfer to my savings.
    I'd like to book an appointment for tomorrow afternoon.
    Can I change the date of my reservation?
    Could you check the status of my refund?
    When will the new feature be available?
    Do you have anything earlier in the day?
    What is the total cost?
    Is it available on weekends?
    I'm not happy with the support I got last time.
    This bug is blocking our whole team.
    We can't ship the release because of this error.
    Every time I upload a file I get an error 500.
    The search doesn't find documents I know are there.
    Our admins can't add new seats.
    I keep getting logged out every few minutes.
    The mobile app is so slow it is unusable.
    We were promised this would be fixed last quarter.
    My manager asked me to look into the invoices.
    I don't understand why my bill went up.
    Please send it to my work email instead.
    Let's go with the second one.
    The first option sounds better.
    I'll take it.
    Book it for three people please.
    I'm trying to set up the integration but it asks for a token.
    We use it daily for reporting and love it overall.
    Your product saved us hours every week.
    To be honest, the onboarding was confusing.
    I can't find where to change the language.
    My card was declined but I have funds.
    Where is my package?
    It says my account is locked.
    I want to speak to a manager.
    Can I get a discount if we pay annually?
    We need the audit log for compliance.
    The numbers in the report don't match our records.
    Hi, I need some help with my account.
    Hello, I have a question about my order.
    Hey there, quick question about billing.
    Sorry, I meant the other account.
    Actually, make it Friday instead.
    I think there's a bug in the calendar view.
    We've been waiting two weeks for a reply.
    I'm still seeing the same problem.
    It worked yesterday but not today.
    Any update on my ticket?
    Great, thank you!
    Perfect, thanks a lot.
    That's all for now, have a nice day.
    We are evaluating your tool against a competitor.
    Our security team wants to know where the data is stored.
    We had an outage during our launch and it hurt us.
    My invoice shows the wrong company name.
    I accidentally deleted a project, can I get it back?
    Can you help me find a restaurant nearby?
    I'm interested in the annual plan.
    What time do you open tomorrow?
    I'd prefer something closer to downtown.
    Send the money from my checking account.
    I want to pay with my debit card.
    """
)

AGENT_LINES = _lines(
    """
    Thanks for reaching out, let me check that for you.
    Thanks for contacting us! I'm happy to help.
    Hi there, how can I help you today?
    Hello! What can I do for you today?
    Is there anything else I can help you with?
    Is there anything else I can do for you?
    Let me look into this for you.
    I've escalated this to our engineering team.
    I've passed this along to our billing team.
    Our team is working on a fix and will update you soon.
    I'm sorry for the inconvenience.
    I apologize for the trouble this has caused.
    I understand how frustrating that must be.
    Could you share a screenshot of the error?
    Could you please confirm the email address on the account?
    Which account are you referring to?
    May I have your order number please?
    Can you tell me when this started happening?
    Could you try clearing your cache and let me know if that helps?
    Please try logging out and back in.
    I've issued a refund, it should appear in 5 to 7 business days.
    I've reset your password, you should receive an email shortly.
    Your ticket has been updated.
    I'll follow up with you as soon as I hear back.
    You can find this setting under Admin, then Billing.
    Here are a few options: the monthly plan, the annual plan, or the enterprise plan.
    There are two options available, would you like the first one?
    Would you like me to go ahead and book it?
    Please confirm the following details.
    Your reservation is confirmed.
    Your payment has been processed successfully.
    The transfer was successful.
    I found 3 options that match what you are looking for.
    How about this one? It has great reviews.
    Which date works best for you?
    What time would you like?
    How many people will be attending?
    Where would you like to go?
    When would you like to check in?
    What city are you looking in?
    How much would you like to send?
    Who should I send it to?
    Do you want me to make the booking?
    Sorry, that is not available, can I help with something else?
    I was unable to complete the request, would you like to try another time?
    Have a great day!
    Have a wonderful evening.
    Enjoy your stay!
    You're welcome, take care.
    Glad I could help!
    Happy to help anytime.
    Thank you for your patience.
    Thanks for your patience while we look into it.
    Just to confirm, you want to cancel the subscription?
    To confirm: two tickets for Friday at 7 pm. Is that correct?
    I see that your account is on the legacy plan.
    I can see the duplicate charge on your account.
    I've gone ahead and applied a credit to your account.
    Let me transfer you to a specialist.
    I'll need a few more details to look into this.
    Can you walk me through the steps you took?
    What browser and version are you using?
    Unfortunately we cannot accept returns after 90 days.
    As a one-time courtesy, I can offer a 20% discount.
    Our records show the package was delivered yesterday.
    This is a known issue and our developers are on it.
    The fix has been deployed, could you try again?
    Best regards, Maria from the Acme Support Team
    Kind regards, the Customer Success team
    Cheers, Tom | Support Engineer
    On our side everything looks normal.
    Our documentation covers this in the setup guide.
    We recommend upgrading to the latest version.
    I'd recommend enabling two-factor authentication.
    Great question! Let me explain how that works.
    Thanks for the details, that helps a lot.
    Thanks, I have that noted.
    Got it, one moment please.
    Give me a moment while I pull up your account.
    I'm checking with the team now.
    That's a great point, I'll share that feedback with our product team.
    On this call I'd like to walk you through the new roadmap.
    Let me share my screen and show you the dashboard.
    Our pricing is based on the number of seats.
    We can set up a pilot for your team next week.
    I'll send over the proposal after this call.
    What are your main goals for this quarter?
    How is your team currently handling reporting?
    What does your renewal timeline look like?
    Would it help if I set up a training session?
    The balance on your checking account is $1,200.
    It is located downtown and has a rating of 4.5.
    The appointment is at 3 pm, shall I book it?
    Would you like to hear other options?
    Please let me know if you have any other questions.
    Feel free to reply to this email if the issue persists.
    We have received your request and will get back to you within 24 hours.
    Welcome aboard! Here is how to get started.
    Your request has been submitted.
    It looks like the issue was caused by an expired token.
    Sure, I can help with that.
    Absolutely, I can take care of that for you.
    No problem, I'll update it now.
    May I ask the reason for the return?
    What is your membership level?
    Can I get your full name please?
    """
)

BOT_LINES = _lines(
    """
    I'm a virtual assistant. I can help with orders, billing and accounts.
    Hi! I'm the Acme bot. Choose an option below.
    Please select one of the following options: 1. Billing 2. Technical support 3. Talk to a human
    Reply 1 for billing, 2 for support, or 3 to speak with an agent.
    This is an automated message. Please do not reply to this email.
    Your ticket #4821 has been created. An agent will respond shortly.
    You are now connected to a live agent.
    Our support hours are 9am to 5pm. We will reply when we are back.
    This conversation has been closed due to inactivity.
    Please rate your experience from 1 to 5.
    How would you rate the support you received today?
    Account has been pulled up for the customer.
    Purchase validation in progress.
    Ticket status changed to solved.
    Transferring you to an agent, please wait.
    I didn't understand that. Please choose one of the options.
    Type 'agent' to talk to a person.
    Automated notice: your request was received.
    The agent has joined the chat.
    This chat is being recorded for quality purposes.
    """
)
