create table category (id int primary key, title text not null);
create table post (id serial primary key, category_id int not null references category (id), title text not null);
insert into category values (1, 'one'), (2, 'two');
insert into post (category_id, title) values (1, 'a'), (1, 'b'), (2, 'c');
